import type { Handler, Topics } from '@commerce/common/events';
import { handleOnce, type ConsumerDeps } from './handle-once.js';

/** order.status_changed: SHIPPED (or DELIVERED) consumes the reserved stock; other statuses do nothing. */
export function onOrderStatusChanged(deps: ConsumerDeps): Handler<Topics['order.status_changed']> {
  return handleOnce(deps, 'order.status_changed', (event, origin, handled) =>
    deps.stock.consume(event.payload, origin, handled),
  );
}
