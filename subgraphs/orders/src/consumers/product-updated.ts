import type { Handler, Topics } from '@commerce/common/events';
import { copyProduct, type CatalogCopyDeps } from './catalog-copy.js';

/** product.updated: the catalog copy takes the new name and price (for orders placed from now on). */
export function onProductUpdated(deps: CatalogCopyDeps): Handler<Topics['product.updated']> {
  return (event) => copyProduct(deps, event);
}
