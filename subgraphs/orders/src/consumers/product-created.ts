import type { Handler, Topics } from '@commerce/common/events';
import { copyProduct, type CatalogCopyDeps } from './catalog-copy.js';

/** product.created: the product enters the catalog copy with its name and price. */
export function onProductCreated(deps: CatalogCopyDeps): Handler<Topics['product.created']> {
  return (event) => copyProduct(deps, event);
}
