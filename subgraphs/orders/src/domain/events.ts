import { outgoingEvent, type EventOrigin, type OutgoingEvent } from '@commerce/common/events';
import { fromCents } from './money.js';
import type { Order, OrderStatus } from './order.js';

const lines = (order: Order): { productId: string; quantity: number }[] =>
  order.items.map(({ productId, quantity }) => ({ productId, quantity }));

/** order.placed for a new order (key: the order id). */
export function orderPlacedEvent(order: Order, origin: EventOrigin, now: Date): OutgoingEvent {
  return outgoingEvent(
    'order.placed',
    order.id,
    {
      orderId: order.id,
      userId: order.userId,
      items: order.items.map(({ productId, quantity, unitPriceCents }) => ({
        productId,
        quantity,
        unitPrice: fromCents(unitPriceCents),
      })),
      total: fromCents(order.totalCents),
      createdAt: order.createdAt.toISOString(),
    },
    origin,
    now,
  );
}

/**
 * The events of moving `order` (in its state before the change) to `to`: order.status_changed,
 * plus order.cancelled when it is cancelled (inventory releases the reserved stock on it). Every
 * one is keyed by the order id.
 */
export function statusChangeEvents(
  order: Order,
  to: OrderStatus,
  origin: EventOrigin,
  now: Date,
): OutgoingEvent[] {
  const base = { orderId: order.id, userId: order.userId, items: lines(order) };
  const events = [
    outgoingEvent(
      'order.status_changed',
      order.id,
      { ...base, previousStatus: order.status, status: to },
      origin,
      now,
    ),
  ];
  if (to === 'CANCELLED') events.push(outgoingEvent('order.cancelled', order.id, base, origin, now));
  return events;
}
