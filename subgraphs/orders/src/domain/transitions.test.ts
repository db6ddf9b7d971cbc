import type { Viewer } from '@commerce/common/auth';
import { describe, expect, it } from 'vitest';
import { orderStatuses, type OrderStatus } from './order.js';
import {
  assertStatusChange,
  isValidTransition,
  mayChangeStatus,
  requestedChangeReason,
  systemStatuses,
} from './transitions.js';

const owner: Viewer = { userId: 'u1', email: 'u1@example.com', role: 'CUSTOMER' };
const stranger: Viewer = { userId: 'u2', email: 'u2@example.com', role: 'CUSTOMER' };
const admin: Viewer = { userId: 'a1', email: 'admin@example.com', role: 'ADMIN' };
const order = (status: OrderStatus) => ({ userId: owner.userId, status });

const lifecycle: [OrderStatus, OrderStatus][] = [
  ['PENDING', 'CONFIRMED'],
  ['PENDING', 'CANCELLED'],
  ['PENDING', 'REJECTED'],
  ['PENDING', 'EXPIRED'],
  ['CONFIRMED', 'PAID'],
  ['CONFIRMED', 'CANCELLED'],
  ['CONFIRMED', 'EXPIRED'],
  ['PAID', 'SHIPPED'],
  ['SHIPPED', 'DELIVERED'],
];
const requestable = lifecycle.filter(([, to]) => !systemStatuses.includes(to));

describe('the order lifecycle', () => {
  it('allows exactly its steps', () => {
    const allowed = orderStatuses.flatMap((from) =>
      orderStatuses.filter((to) => isValidTransition(from, to)).map((to) => [from, to]),
    );
    expect(allowed.sort()).toEqual([...lifecycle].sort());
  });

  it('ships and delivers only what was paid; pays only what was confirmed', () => {
    const into = (to: OrderStatus) => orderStatuses.filter((from) => isValidTransition(from, to)).sort();
    expect(into('SHIPPED')).toEqual(['PAID']);
    expect(into('DELIVERED')).toEqual(['SHIPPED']);
    expect(into('PAID')).toEqual(['CONFIRMED']);
    expect(into('CANCELLED')).toEqual(['CONFIRMED', 'PENDING']);
    expect(into('EXPIRED')).toEqual(['CONFIRMED', 'PENDING']);
  });

  it('ends at DELIVERED, CANCELLED, REJECTED and EXPIRED', () => {
    for (const end of ['DELIVERED', 'CANCELLED', 'REJECTED', 'EXPIRED'] as const)
      expect(orderStatuses.filter((to) => isValidTransition(end, to))).toEqual([]);
  });
});

describe('updateOrderStatus', () => {
  it('never sets a system status (CONFIRMED, REJECTED, EXPIRED), not even for an admin', () => {
    for (const to of systemStatuses) {
      expect(mayChangeStatus(admin, order('PENDING'), to)).toBe(false);
      expect(() => assertStatusChange(admin, order('PENDING'), to)).toThrow(
        expect.objectContaining({ code: 'INVALID_TRANSITION' }),
      );
    }
  });

  it.each(requestable)('lets an admin move %s -> %s', (from, to) => {
    expect(mayChangeStatus(admin, order(from), to)).toBe(true);
    expect(() => assertStatusChange(admin, order(from), to)).not.toThrow();
  });

  it('lets the owner cancel, and nothing else', () => {
    expect(mayChangeStatus(owner, order('PENDING'), 'CANCELLED')).toBe(true);
    expect(mayChangeStatus(owner, order('CONFIRMED'), 'CANCELLED')).toBe(true);
    expect(mayChangeStatus(owner, order('PAID'), 'SHIPPED')).toBe(false);
    expect(mayChangeStatus(owner, order('SHIPPED'), 'DELIVERED')).toBe(false);
  });

  it('tells a customer asking for PAID that it is FORBIDDEN, whatever the status: they pay with payOrder', () => {
    for (const status of orderStatuses) {
      expect(() => assertStatusChange(owner, order(status), 'PAID')).toThrow(
        expect.objectContaining({
          code: 'FORBIDDEN',
          message: expect.stringContaining('payOrder') as string,
        }),
      );
    }
  });

  it('refuses SHIPPED before payment and a cancellation after it, naming both statuses', () => {
    expect(() => assertStatusChange(admin, order('CONFIRMED'), 'SHIPPED')).toThrow(
      expect.objectContaining({
        code: 'INVALID_TRANSITION',
        message: 'Cannot change an order from CONFIRMED to SHIPPED',
      }),
    );
    expect(() => assertStatusChange(owner, order('PAID'), 'CANCELLED')).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
  });

  it('tells another customer FORBIDDEN before anything else', () => {
    for (const [from, to] of lifecycle) expect(mayChangeStatus(stranger, order(from), to)).toBe(false);
    expect(() => assertStatusChange(stranger, order('DELIVERED'), 'CANCELLED')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });

  it('the owner shipping their own paid order is FORBIDDEN; an invalid step is INVALID_TRANSITION', () => {
    expect(() => assertStatusChange(owner, order('PAID'), 'SHIPPED')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => assertStatusChange(owner, order('PENDING'), 'SHIPPED')).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
  });

  it('records who made a requested step; an admin’s PAID is a manual payment', () => {
    expect(requestedChangeReason(admin, 'PAID')).toBe('manual payment recorded by an admin');
    expect(requestedChangeReason(owner, 'CANCELLED')).toBe('cancelled by the customer');
    expect(requestedChangeReason(admin, 'CANCELLED')).toBe('cancelled by an admin');
    expect(requestedChangeReason(admin, 'SHIPPED')).toBe('shipped (set by an admin)');
  });
});
