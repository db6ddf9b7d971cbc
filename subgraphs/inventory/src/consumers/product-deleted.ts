import type { Handler, Topics } from '@commerce/common/events';
import { handleOnce, type ConsumerDeps } from './handle-once.js';

/** product.deleted: the stock row is kept (see StockService.keepDeletedProduct). */
export function onProductDeleted(deps: ConsumerDeps): Handler<Topics['product.deleted']> {
  return handleOnce(deps, 'product.deleted', (_event, _origin, handled) =>
    deps.stock.keepDeletedProduct(handled),
  );
}
