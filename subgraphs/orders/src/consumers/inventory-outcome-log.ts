import type { Envelope } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { InventoryOutcome } from '../domain/inventory-outcomes.js';

/** Logs what inventory's answer did; a late one (the order had moved on) at info, as it is worth knowing. */
export function logInventoryOutcome(
  logger: Logger,
  event: Envelope<{ readonly orderId: string }>,
  outcome: InventoryOutcome,
): void {
  const context = { orderId: event.payload.orderId, eventId: event.metadata.eventId };
  const topic = event.metadata.eventType;
  switch (outcome.kind) {
    case 'applied':
      logger.info({ ...context, status: outcome.order.status }, `${topic}: order ${outcome.order.status}`);
      return;
    case 'late':
      logger.info(
        { ...context, status: outcome.status },
        `late ${topic} for an order already ${outcome.status}: nothing changed`,
      );
      return;
    case 'duplicate':
    case 'unknown-order':
      logger.debug({ ...context, outcome: outcome.kind }, `${topic} changed nothing`);
      return;
  }
}
