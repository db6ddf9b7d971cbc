import type { Handler, Topics } from '@commerce/common/events';
import { handleOnce, type ConsumerDeps } from './handleOnce.js';

/**
 * product.deleted: the stock row is kept, so that reservations of orders already placed can still
 * be released or consumed; the catalog no longer offers the product, so no new order reserves it.
 */
export function productDeletedHandler(deps: ConsumerDeps): Handler<Topics['product.deleted']> {
  return handleOnce(deps, 'product.deleted', () => Promise.resolve('kept'));
}
