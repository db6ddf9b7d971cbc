import type { Handler, Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { OrdersService } from '../domain/orders-service.js';

/** inventory.reservation_failed: the PENDING order becomes REJECTED (once), publishing order.status_changed. */
export function onInventoryReservationFailed(deps: {
  readonly service: OrdersService;
  readonly logger: Logger;
}): Handler<Topics['inventory.reservation_failed']> {
  return async (event) => {
    const rejected = await deps.service.rejectAfterFailedReservation(event);
    const { orderId, reason } = event.payload;
    if (rejected) deps.logger.info({ orderId, reason }, 'order rejected: stock reservation failed');
    else
      deps.logger.debug({ orderId, eventId: event.metadata.eventId }, 'reservation failure changed nothing');
  };
}
