import { createEnvelope, type EventOrigin, type TopicName, type Topics } from '@commerce/common/events';
import type { OutgoingEvent } from './ports.js';
import { stockIsLow, type StockChange, type StockReason } from './stock.js';

/** A validated event for the outbox. */
export function outgoing<T extends TopicName>(
  topic: T,
  key: string,
  payload: Topics[T],
  origin: EventOrigin,
): OutgoingEvent {
  return { topic, key, envelope: createEnvelope(topic, payload, origin) };
}

/** stock.updated for a change, followed by inventory.low_stock when it crossed into a level. */
export function stockChangeEvents(
  change: StockChange,
  reason: StockReason,
  orderId: string | null,
  origin: EventOrigin,
): OutgoingEvent[] {
  const { item, alert } = change;
  const events = [
    outgoing(
      'stock.updated',
      item.productId,
      {
        productId: item.productId,
        available: item.available,
        reserved: item.reserved,
        reorderThreshold: item.reorderThreshold,
        lowStock: stockIsLow(item),
        reason,
        orderId,
        updatedAt: item.updatedAt.toISOString(),
      },
      origin,
    ),
  ];
  if (alert) {
    events.push(
      outgoing(
        'inventory.low_stock',
        item.productId,
        {
          productId: item.productId,
          available: item.available,
          reorderThreshold: item.reorderThreshold,
          priority: alert,
        },
        origin,
      ),
    );
  }
  return events;
}
