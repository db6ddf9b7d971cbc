import { createEnvelope, type Envelope, type EventOrigin, type TopicName } from '@commerce/common/events';
import { fromCents } from './money.js';
import type { Order, OrderStatus } from './order.js';

/** An event to store with the change it describes; the outbox relay publishes it afterwards. */
export interface OutgoingEvent {
  readonly topic: TopicName;
  /** The Kafka key: the order id for every order event. */
  readonly key: string;
  readonly envelope: Envelope<unknown>;
}

const lines = (order: Order): { productId: string; quantity: number }[] =>
  order.items.map(({ productId, quantity }) => ({ productId, quantity }));

/** order.placed for a new order. */
export function orderPlacedEvent(order: Order, origin: EventOrigin, now: Date): OutgoingEvent {
  const envelope = createEnvelope(
    'order.placed',
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
  return { topic: 'order.placed', key: order.id, envelope };
}

/**
 * The events of moving `order` (in its state before the change) to `to`: order.status_changed,
 * plus order.cancelled when it is cancelled (inventory releases the reserved stock on it).
 */
export function statusChangeEvents(
  order: Order,
  to: OrderStatus,
  origin: EventOrigin,
  now: Date,
): OutgoingEvent[] {
  const base = { orderId: order.id, userId: order.userId, items: lines(order) };
  const events: OutgoingEvent[] = [
    {
      topic: 'order.status_changed',
      key: order.id,
      envelope: createEnvelope(
        'order.status_changed',
        { ...base, previousStatus: order.status, status: to },
        origin,
        now,
      ),
    },
  ];
  if (to === 'CANCELLED') {
    events.push({
      topic: 'order.cancelled',
      key: order.id,
      envelope: createEnvelope('order.cancelled', base, origin, now),
    });
  }
  return events;
}
