import { causedBy, type Handler, type Topics } from '@commerce/common/events';
import { consumeOrder } from '../domain/orderReservations.js';
import { handleOnce, type ConsumerDeps } from './handleOnce.js';

/** order.status_changed: SHIPPED (or DELIVERED) consumes the reserved stock; other statuses do nothing. */
export function orderStatusChangedHandler(deps: ConsumerDeps): Handler<Topics['order.status_changed']> {
  return handleOnce(deps, 'order.status_changed', (tx, event) =>
    consumeOrder(tx, event.payload, causedBy(event, 'inventory')),
  );
}
