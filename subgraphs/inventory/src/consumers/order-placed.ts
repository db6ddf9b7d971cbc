import type { Handler, Topics } from '@commerce/common/events';
import { handleOnce, type ConsumerDeps } from './handle-once.js';

/** order.placed: reserves all of the order's items, or fails the reservation as a whole. */
export function onOrderPlaced(deps: ConsumerDeps): Handler<Topics['order.placed']> {
  return handleOnce(deps, 'order.placed', (event, origin, handled) =>
    deps.stock.reserve(event.payload, origin, handled),
  );
}
