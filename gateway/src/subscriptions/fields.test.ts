import { randomUUID } from 'node:crypto';
import { createEnvelope } from '@commerce/common/events';
import { describe, expect, it } from 'vitest';
import {
  accessTo,
  coalesceKey,
  matchesArguments,
  primaryRootValue,
  subscriptionFields,
  visibleTo,
  type FieldEvent,
} from './fields.js';

const origin = { source: 'test', correlationId: randomUUID() };
const at = new Date('2030-01-02T03:04:05.000Z');

const stock: FieldEvent = {
  field: 'stockUpdated',
  event: createEnvelope(
    'stock.updated',
    {
      productId: 'p1',
      available: 49,
      reserved: 1,
      reorderThreshold: 10,
      lowStock: false,
      reason: 'RESERVED',
      orderId: 'o1',
      updatedAt: at.toISOString(),
      version: 2,
    },
    origin,
    at,
  ),
};
const placed: FieldEvent = {
  field: 'orderPlaced',
  event: createEnvelope(
    'order.placed',
    {
      orderId: 'o1',
      userId: 'alice',
      items: [{ productId: 'p1', quantity: 1, unitPrice: 5 }],
      total: 5,
      createdAt: at.toISOString(),
      version: 1,
    },
    origin,
  ),
};
const statusChanged: FieldEvent = {
  field: 'orderStatusChanged',
  event: createEnvelope(
    'order.status_changed',
    {
      orderId: 'o1',
      userId: 'alice',
      previousStatus: 'CONFIRMED',
      status: 'PAID',
      reason: 'paid by card',
      items: [{ productId: 'p1', quantity: 1 }],
      version: 3,
    },
    origin,
  ),
};
const alert: FieldEvent = {
  field: 'lowStockAlert',
  event: createEnvelope(
    'inventory.low_stock',
    { productId: 'p1', available: 0, reorderThreshold: 10, priority: 'CRITICAL' },
    origin,
    at,
  ),
};

const admin = { kind: 'role', role: 'ADMIN' } as const;
const alice = { kind: 'user', userId: 'alice' } as const;
const bob = { kind: 'user', userId: 'bob' } as const;
const anonymous = { kind: 'anonymous' } as const;

describe('primaryRootValue', () => {
  it('shapes a stock event as the primary fetch result with a Product reference', () => {
    expect(primaryRootValue(stock)).toEqual({
      stockUpdated: {
        __typename: 'StockUpdate',
        productId: 'p1',
        available: 49,
        reserved: 1,
        lowStock: false,
        reason: 'RESERVED',
        updatedAt: at.toISOString(),
        version: 2,
        product: { __typename: 'Product', id: 'p1' },
      },
    });
  });

  it('shapes order events as Order references, resolved by the orders subgraph', () => {
    expect(primaryRootValue(placed)).toEqual({ orderPlaced: { __typename: 'Order', id: 'o1' } });
    expect(primaryRootValue(statusChanged)).toEqual({
      orderStatusChanged: { __typename: 'Order', id: 'o1' },
    });
  });

  it('raises a low-stock alert at the time the event occurred', () => {
    expect(primaryRootValue(alert)).toEqual({
      lowStockAlert: {
        __typename: 'LowStockAlert',
        productId: 'p1',
        available: 0,
        reorderThreshold: 10,
        priority: 'CRITICAL',
        raisedAt: at.toISOString(),
        product: { __typename: 'Product', id: 'p1' },
      },
    });
  });
});

describe('matchesArguments', () => {
  it('lets every event through when the argument is absent or null', () => {
    expect(matchesArguments(stock, {})).toBe(true);
    expect(matchesArguments(stock, { productId: null })).toBe(true);
    expect(matchesArguments(statusChanged, {})).toBe(true);
  });

  it('keeps only the product or order asked for', () => {
    expect(matchesArguments(stock, { productId: 'p1' })).toBe(true);
    expect(matchesArguments(stock, { productId: 'p2' })).toBe(false);
    expect(matchesArguments(statusChanged, { orderId: 'o1' })).toBe(true);
    expect(matchesArguments(statusChanged, { orderId: 'o2' })).toBe(false);
  });
});

describe('visibleTo', () => {
  it('shows stock changes to everyone', () => {
    for (const scope of [admin, alice, anonymous]) expect(visibleTo(stock, scope)).toBe(true);
  });

  it('shows orders to their owner and to ADMIN only', () => {
    for (const event of [placed, statusChanged]) {
      expect(visibleTo(event, admin)).toBe(true);
      expect(visibleTo(event, alice)).toBe(true);
      expect(visibleTo(event, bob)).toBe(false);
      expect(visibleTo(event, anonymous)).toBe(false);
    }
  });

  it('shows low-stock alerts to ADMIN only', () => {
    expect(visibleTo(alert, admin)).toBe(true);
    expect(visibleTo(alert, alice)).toBe(false);
  });
});

describe('accessTo', () => {
  const customer = { role: 'CUSTOMER' } as const;
  const administrator = { role: 'ADMIN' } as const;

  it('opens stockUpdated to anyone', () => {
    expect(accessTo('stockUpdated', null)).toBe('allowed');
  });

  it('needs a viewer for order subscriptions', () => {
    expect(accessTo('orderPlaced', null)).toBe('unauthenticated');
    expect(accessTo('orderStatusChanged', customer)).toBe('allowed');
  });

  it('needs ADMIN for lowStockAlert', () => {
    expect(accessTo('lowStockAlert', null)).toBe('unauthenticated');
    expect(accessTo('lowStockAlert', customer)).toBe('forbidden');
    expect(accessTo('lowStockAlert', administrator)).toBe('allowed');
  });
});

describe('coalesceKey and topics', () => {
  it('coalesces stock per product and never orders or alerts', () => {
    expect(coalesceKey(stock)).toBe('p1');
    expect(coalesceKey(placed)).toBeUndefined();
    expect(coalesceKey(alert)).toBeUndefined();
  });

  it('consumes the four subscription topics', () => {
    expect(
      Object.values(subscriptionFields)
        .map(({ topic }) => topic)
        .sort(),
    ).toEqual(['inventory.low_stock', 'order.placed', 'order.status_changed', 'stock.updated']);
  });
});
