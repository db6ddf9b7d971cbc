import type { Handler, Topics } from '@commerce/common/events';
import { handleOnce, type ConsumerDeps } from './handle-once.js';

/** order.cancelled: releases the order's reservation (or records a cancel that came first). */
export function onOrderCancelled(deps: ConsumerDeps): Handler<Topics['order.cancelled']> {
  return handleOnce(deps, 'order.cancelled', (event, origin, handled) =>
    deps.stock.release(event.payload, origin, handled),
  );
}
