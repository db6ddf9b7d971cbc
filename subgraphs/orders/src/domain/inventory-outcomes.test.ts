import { randomUUID } from 'node:crypto';
import { DocumentDatabase } from '@commerce/common/embedded';
import { createEnvelope } from '@commerce/common/events';
import { beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedOrderStore } from '../adapters/embedded/order-store.js';
import { ordersCollection } from '../adapters/mongo/order-store.js';
import type { OrderDocument } from '../adapters/mongo/documents.js';
import { InventoryOutcomes } from './inventory-outcomes.js';
import { newOrder, withStatus } from './lifecycle.js';
import type { Order, OrderStatus } from './order.js';

const origin = { source: 'inventory', correlationId: randomUUID() };
const items = [{ productId: 'p1', productName: 'Phone', quantity: 2, unitPriceCents: 1000 }];
const address = { line1: '1 St', line2: null, city: 'C', state: 'S', postalCode: '1', country: 'X' };

describe('inventory’s answers to a placement', () => {
  let database: DocumentDatabase;
  let orders: EmbeddedOrderStore;
  let outcomes: InventoryOutcomes;
  const now = new Date('2026-01-01T10:00:00Z');

  beforeEach(() => {
    database = DocumentDatabase.open();
    orders = new EmbeddedOrderStore(database);
    outcomes = new InventoryOutcomes({ orders, eventsStored: () => undefined, now: () => now });
  });

  async function orderIn(...path: OrderStatus[]): Promise<Order> {
    const placed = newOrder({ id: randomUUID(), userId: 'u1', items, shippingAddress: address }, now, 900);
    await orders.insert(placed, []);
    let order = placed;
    for (const status of path) order = withStatus(order, status, now, 'test');
    if (order !== placed) await orders.update({ before: placed, after: order, events: [] });
    return order;
  }

  const reserved = (orderId: string) =>
    createEnvelope('inventory.reserved', { orderId, items: [{ productId: 'p1', quantity: 2 }] }, origin);
  const failed = (orderId: string) =>
    createEnvelope(
      'inventory.reservation_failed',
      {
        orderId,
        reason: 'Insufficient stock for product p1',
        items: [{ productId: 'p1', requested: 2, available: 1 }],
      },
      origin,
    );
  const document = (orderId: string) => database.collection<OrderDocument>(ordersCollection).get(orderId);

  it('confirms a PENDING order once, with order.status_changed caused by the event', async () => {
    const order = await orderIn();
    const event = reserved(order.id);
    const outcome = await outcomes.confirm(event);
    expect(outcome).toMatchObject({ kind: 'applied', order: { status: 'CONFIRMED', version: 2 } });
    expect(outcome.kind === 'applied' && outcome.order.history.at(-1)).toEqual({
      status: 'CONFIRMED',
      at: now,
      reason: 'stock reserved',
    });
    expect(await outcomes.confirm(event)).toEqual({ kind: 'duplicate' });
    const stored = document(order.id);
    expect(stored?.processedEventIds).toEqual([event.metadata.eventId]);
    expect(stored?.pendingEvents.map((pending) => pending.envelope)).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({
          eventType: 'order.status_changed',
          causationId: event.metadata.eventId,
          correlationId: origin.correlationId,
        }) as unknown,
        payload: expect.objectContaining({
          previousStatus: 'PENDING',
          status: 'CONFIRMED',
          version: 2,
        }) as unknown,
      }),
    ]);
  });

  it('rejects a PENDING order with the reason', async () => {
    const order = await orderIn();
    expect(await outcomes.reject(failed(order.id))).toMatchObject({
      kind: 'applied',
      order: { status: 'REJECTED', rejectionReason: 'Insufficient stock for product p1' },
    });
  });

  it.each(['CANCELLED', 'EXPIRED'] as const)(
    'changes nothing when a reservation arrives for an order already %s, and records it',
    async (status) => {
      const order = await orderIn(status);
      const event = reserved(order.id);
      expect(await outcomes.confirm(event)).toEqual({ kind: 'late', status });
      const stored = document(order.id);
      expect(stored).toMatchObject({ status, version: order.version, pendingEvents: [] });
      expect(stored?.processedEventIds).toEqual([event.metadata.eventId]);
    },
  );

  it('changes nothing when a failure arrives for an order already paid (or confirmed), and records it', async () => {
    const paid = await orderIn('CONFIRMED', 'PAID');
    const event = failed(paid.id);
    expect(await outcomes.reject(event)).toEqual({ kind: 'late', status: 'PAID' });
    expect(document(paid.id)).toMatchObject({ status: 'PAID', rejectionReason: null, pendingEvents: [] });
    expect(document(paid.id)?.processedEventIds).toEqual([event.metadata.eventId]);
    const confirmed = await orderIn('CONFIRMED');
    expect(await outcomes.reject(failed(confirmed.id))).toEqual({ kind: 'late', status: 'CONFIRMED' });
  });

  it('ignores an answer for an order it does not know', async () => {
    expect(await outcomes.confirm(reserved('missing'))).toEqual({ kind: 'unknown-order' });
  });
});
