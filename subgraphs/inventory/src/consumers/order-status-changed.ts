import type { Handler, Topics } from '@commerce/common/events';
import { handleOnce, type ConsumerDeps } from './handle-once.js';

/**
 * order.status_changed: SHIPPED (or DELIVERED) consumes the reserved stock, EXPIRED releases it;
 * other statuses do nothing (a cancellation releases on order.cancelled).
 */
export function onOrderStatusChanged(deps: ConsumerDeps): Handler<Topics['order.status_changed']> {
  return handleOnce(deps, 'order.status_changed', (event, origin, handled) =>
    deps.stock.applyStatusChange(event.payload, origin, handled),
  );
}
