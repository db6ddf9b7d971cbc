import type { Handler, Topics } from '@commerce/common/events';
import { handleOnce, type ConsumerDeps } from './handle-once.js';

/** product.created: creates the product's stock row and announces it. */
export function onProductCreated(deps: ConsumerDeps): Handler<Topics['product.created']> {
  return handleOnce(deps, 'product.created', (event, origin, handled) =>
    deps.stock.createStock(event.payload, origin, handled),
  );
}
