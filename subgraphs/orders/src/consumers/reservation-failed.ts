import type { Envelope, Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { OrdersService } from '../domain/orders-service.js';

/** inventory.reservation_failed: the PENDING order becomes REJECTED (once), publishing order.status_changed. */
export function onReservationFailed(service: OrdersService, logger: Logger) {
  return async (event: Envelope<Topics['inventory.reservation_failed']>): Promise<void> => {
    const rejected = await service.rejectAfterFailedReservation(event);
    const { orderId } = event.payload;
    if (rejected)
      logger.info({ orderId, reason: event.payload.reason }, 'order rejected: stock reservation failed');
    else logger.debug({ orderId, eventId: event.metadata.eventId }, 'reservation failure changed nothing');
  };
}
