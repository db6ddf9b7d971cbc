import { outgoingEvent, type EventOrigin, type OutgoingEvent } from '@commerce/common/events';
import type { OrderLine, Shortage } from './reservation.js';
import { stockIsLow, type StockChange, type StockReason } from './stock.js';

/** stock.updated for a change, followed by inventory.low_stock when it crossed into a level. */
export function stockChangeEvents(
  change: StockChange,
  reason: StockReason,
  orderId: string | null,
  origin: EventOrigin,
): OutgoingEvent[] {
  const { item, alert } = change;
  const events = [
    outgoingEvent(
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
        version: item.version,
      },
      origin,
    ),
  ];
  if (alert) {
    events.push(
      outgoingEvent(
        'inventory.low_stock',
        item.productId,
        {
          productId: item.productId,
          available: item.available,
          reorderThreshold: item.reorderThreshold,
          priority: alert,
          version: item.version,
        },
        origin,
      ),
    );
  }
  return events;
}

/** inventory.reservation_failed: the order's stock could not be reserved, naming each line that fell short. */
export function reservationFailedEvent(
  orderId: string,
  reason: string,
  shortages: readonly Shortage[],
  origin: EventOrigin,
): OutgoingEvent {
  return outgoingEvent(
    'inventory.reservation_failed',
    orderId,
    { orderId, reason, items: [...shortages] },
    origin,
  );
}

/** inventory.reserved: every line of the order is reserved (key: the order id). */
export function reservedEvent(
  orderId: string,
  lines: readonly OrderLine[],
  origin: EventOrigin,
): OutgoingEvent {
  return outgoingEvent(
    'inventory.reserved',
    orderId,
    { orderId, items: lines.map(({ productId, quantity }) => ({ productId, quantity })) },
    origin,
  );
}
