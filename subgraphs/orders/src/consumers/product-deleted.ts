import type { Handler, Topics } from '@commerce/common/events';
import { catalogEventRef, type CatalogCopyDeps } from './catalog-copy.js';

/** product.deleted: the product can no longer be ordered. */
export function onProductDeleted(deps: CatalogCopyDeps): Handler<Topics['product.deleted']> {
  return async (event) => {
    const { productId } = event.payload;
    const applied = await deps.catalog.markDeleted(catalogEventRef(event), productId);
    deps.logger.debug({ eventId: event.metadata.eventId, productId, applied }, 'product.deleted handled');
  };
}
