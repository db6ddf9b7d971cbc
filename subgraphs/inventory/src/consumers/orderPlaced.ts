import { causedBy, type Handler, type Topics } from '@commerce/common/events';
import { reserveOrder } from '../domain/orderReservations.js';
import { handleOnce, type ConsumerDeps } from './handleOnce.js';

/** order.placed: reserves all of the order's items, or fails the reservation as a whole. */
export function orderPlacedHandler(deps: ConsumerDeps): Handler<Topics['order.placed']> {
  return handleOnce(deps, 'order.placed', (tx, event) =>
    reserveOrder(tx, event.payload, causedBy(event, 'inventory')),
  );
}
