import { causedBy, type Handler, type Topics } from '@commerce/common/events';
import { releaseOrder } from '../domain/orderReservations.js';
import { handleOnce, type ConsumerDeps } from './handleOnce.js';

/** order.cancelled: releases the order's reservation (or records a cancel that came first). */
export function orderCancelledHandler(deps: ConsumerDeps): Handler<Topics['order.cancelled']> {
  return handleOnce(deps, 'order.cancelled', (tx, event) =>
    releaseOrder(tx, event.payload, causedBy(event, 'inventory')),
  );
}
