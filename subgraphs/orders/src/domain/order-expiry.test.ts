import { randomUUID } from 'node:crypto';
import { DocumentDatabase } from '@commerce/common/embedded';
import { createLogger } from '@commerce/common/logger';
import { beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedOrderStore } from '../adapters/embedded/order-store.js';
import type { OrderDocument } from '../adapters/mongo/documents.js';
import { ordersCollection } from '../adapters/mongo/order-store.js';
import { claimedForPayment, newOrder, withStatus } from './lifecycle.js';
import type { Order, OrderStatus } from './order.js';
import { OrderExpiry, sweepIntervalMs } from './order-expiry.js';
import type { Lease } from './ports.js';

const items = [{ productId: 'p1', productName: 'Phone', quantity: 2, unitPriceCents: 1000 }];
const address = { line1: '1 St', line2: null, city: 'C', state: 'S', postalCode: '1', country: 'X' };
const held: Lease = { acquire: () => Promise.resolve(true), release: () => Promise.resolve() };
const start = new Date('2026-01-01T10:00:00Z');
const later = (seconds: number) => new Date(start.getTime() + seconds * 1000);

describe('the expiry of unpaid orders', () => {
  let database: DocumentDatabase;
  let orders: EmbeddedOrderStore;
  let clock: Date;
  const expiry = (lease: Lease = held) =>
    new OrderExpiry({
      orders,
      lease,
      eventsStored: () => undefined,
      logger: createLogger('expiry-test'),
      intervalMs: 1000,
      now: () => clock,
    });

  beforeEach(() => {
    database = DocumentDatabase.open();
    orders = new EmbeddedOrderStore(database);
    clock = start;
  });

  async function orderIn(ttlSeconds: number, ...path: OrderStatus[]): Promise<Order> {
    const placed = newOrder(
      { id: randomUUID(), userId: 'u1', items, shippingAddress: address },
      start,
      ttlSeconds,
    );
    await orders.insert(placed, []);
    let order = placed;
    for (const status of path) order = withStatus(order, status, start, 'test');
    if (order !== placed) await orders.update({ before: placed, after: order, events: [] });
    return order;
  }
  const statusOf = async (order: Order) => (await orders.findByIds([order.id]))[0]?.status;
  const events = (order: Order) =>
    database.collection<OrderDocument>(ordersCollection).get(order.id)?.pendingEvents ?? [];

  it('expires open orders past their payment time, with order.status_changed and the reason', async () => {
    const pending = await orderIn(3);
    const confirmed = await orderIn(3, 'CONFIRMED');
    const paid = await orderIn(3, 'CONFIRMED', 'PAID');
    const cancelled = await orderIn(3, 'CANCELLED');
    const notYet = await orderIn(900, 'CONFIRMED');

    clock = later(2);
    expect(await expiry().sweep()).toBe(0);
    clock = later(3);
    expect(await expiry().sweep()).toBe(2);
    expect(await statusOf(pending)).toBe('EXPIRED');
    expect(await statusOf(confirmed)).toBe('EXPIRED');
    expect(await statusOf(paid)).toBe('PAID');
    expect(await statusOf(cancelled)).toBe('CANCELLED');
    expect(await statusOf(notYet)).toBe('CONFIRMED');

    const [expired] = await orders.findByIds([confirmed.id]);
    expect(expired?.history.at(-1)).toEqual({
      status: 'EXPIRED',
      at: later(3),
      reason: 'not paid within 3 s',
    });
    expect(events(confirmed).map((event) => event.envelope.payload)).toEqual([
      expect.objectContaining({
        previousStatus: 'CONFIRMED',
        status: 'EXPIRED',
        reason: 'not paid within 3 s',
        version: confirmed.version + 1,
        items: [{ productId: 'p1', quantity: 2 }],
      }),
    ]);
    expect(await expiry().sweep()).toBe(0);
  });

  it('expires each order once when sweeps race', async () => {
    const all = await Promise.all(Array.from({ length: 30 }, () => orderIn(1, 'CONFIRMED')));
    clock = later(5);
    const counts = await Promise.all([expiry().sweep(), expiry().sweep(), expiry().sweep()]);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(30);
    for (const order of all) expect(events(order)).toHaveLength(1);
  });

  it('leaves an order being paid for a later sweep', async () => {
    const order = await orderIn(1, 'CONFIRMED');
    await orders.update({ before: order, after: claimedForPayment(order, later(60)), events: [] });
    clock = later(30);
    expect(await expiry().sweep()).toBe(0);
    clock = later(61);
    expect(await expiry().sweep()).toBe(1);
  });

  it('sweeps only while it holds the lease', async () => {
    const order = await orderIn(1);
    clock = later(5);
    const notHeld: Lease = { acquire: () => Promise.resolve(false), release: () => Promise.resolve() };
    expect(await expiry(notHeld).sweep()).toBe(0);
    expect(await statusOf(order)).toBe('PENDING');
  });

  it('sweeps a quarter of the payment time apart, between 0.5 s and 10 s', () => {
    expect(sweepIntervalMs(900)).toBe(10_000);
    expect(sweepIntervalMs(20)).toBe(5_000);
    expect(sweepIntervalMs(1)).toBe(500);
  });
});
