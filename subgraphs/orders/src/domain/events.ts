import { outgoingEvent, type EventOrigin, type OutgoingEvent } from '@commerce/common/events';
import { fromCents } from './money.js';
import type { Order, Payment } from './order.js';

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
      version: order.version,
    },
    origin,
    now,
  );
}

/**
 * The events of a status change from `before` to `after`: order.status_changed (with the reason
 * the history records), plus order.cancelled when it is cancelled (inventory releases the reserved
 * stock on it). Every one is keyed by the order id and carries the new version.
 */
export function statusChangeEvents(
  before: Order,
  after: Order,
  origin: EventOrigin,
  now: Date,
): OutgoingEvent[] {
  const base = { orderId: after.id, userId: after.userId, items: lines(after), version: after.version };
  const reason = after.history.at(-1)?.reason ?? '';
  const events = [
    outgoingEvent(
      'order.status_changed',
      after.id,
      { ...base, previousStatus: before.status, status: after.status, reason },
      origin,
      now,
    ),
  ];
  if (after.status === 'CANCELLED')
    events.push(outgoingEvent('order.cancelled', after.id, base, origin, now));
  return events;
}

/** payment.succeeded or payment.failed for a charge the provider answered (key: the order id). */
export function paymentEvent(after: Order, payment: Payment, origin: EventOrigin, now: Date): OutgoingEvent {
  const payload = {
    orderId: after.id,
    userId: after.userId,
    paymentId: payment.id,
    amount: fromCents(payment.amountCents),
    method: payment.method,
    version: after.version,
  };
  return payment.status === 'SUCCEEDED'
    ? outgoingEvent('payment.succeeded', after.id, payload, origin, now)
    : outgoingEvent(
        'payment.failed',
        after.id,
        { ...payload, reason: payment.failureReason ?? 'declined' },
        origin,
        now,
      );
}
