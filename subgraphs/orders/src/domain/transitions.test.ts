import type { Viewer } from '@commerce/common/auth';
import { describe, expect, it } from 'vitest';
import { orderStatuses, type OrderStatus } from './order.js';
import { assertStatusChange, isValidTransition, mayChangeStatus } from './transitions.js';

const owner: Viewer = { userId: 'u1', email: 'u1@example.com', role: 'CUSTOMER' };
const stranger: Viewer = { userId: 'u2', email: 'u2@example.com', role: 'CUSTOMER' };
const admin: Viewer = { userId: 'a1', email: 'admin@example.com', role: 'ADMIN' };
const order = (status: OrderStatus) => ({ userId: owner.userId, status });

const valid: [OrderStatus, OrderStatus][] = [
  ['PENDING', 'PAID'],
  ['PENDING', 'CANCELLED'],
  ['PAID', 'SHIPPED'],
  ['PAID', 'CANCELLED'],
  ['SHIPPED', 'DELIVERED'],
];

describe('status transitions', () => {
  it('allows exactly the lifecycle transitions', () => {
    const allowed = orderStatuses.flatMap((from) =>
      orderStatuses.filter((to) => isValidTransition(from, to)).map((to) => [from, to]),
    );
    expect(allowed).toEqual(valid);
  });

  it('never lets the API reject an order (REJECTED is set by the system)', () => {
    for (const from of orderStatuses) expect(isValidTransition(from, 'REJECTED')).toBe(false);
  });

  it('names both statuses in INVALID_TRANSITION', () => {
    expect(() => assertStatusChange(admin, order('DELIVERED'), 'PAID')).toThrow(
      expect.objectContaining({
        code: 'INVALID_TRANSITION',
        message: 'Cannot change an order from DELIVERED to PAID',
      }),
    );
  });
});

describe('who may change a status', () => {
  it.each(valid)('an admin may move %s -> %s', (from, to) => {
    expect(mayChangeStatus(admin, order(from), to)).toBe(true);
  });

  it('the owner may pay and cancel, nothing else', () => {
    expect(mayChangeStatus(owner, order('PENDING'), 'PAID')).toBe(true);
    expect(mayChangeStatus(owner, order('PENDING'), 'CANCELLED')).toBe(true);
    expect(mayChangeStatus(owner, order('PAID'), 'CANCELLED')).toBe(true);
    expect(mayChangeStatus(owner, order('PAID'), 'SHIPPED')).toBe(false);
    expect(mayChangeStatus(owner, order('SHIPPED'), 'DELIVERED')).toBe(false);
  });

  it('another customer may do nothing, and is told FORBIDDEN before anything else', () => {
    for (const [from, to] of valid) expect(mayChangeStatus(stranger, order(from), to)).toBe(false);
    expect(() => assertStatusChange(stranger, order('DELIVERED'), 'PAID')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });

  it('the owner shipping their own order is FORBIDDEN; an invalid one is INVALID_TRANSITION', () => {
    expect(() => assertStatusChange(owner, order('PAID'), 'SHIPPED')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => assertStatusChange(owner, order('PENDING'), 'SHIPPED')).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION' }),
    );
  });
});
