import type { Handler, Topics } from '@commerce/common/events';
import { catalogEventRef, type CatalogCopyDeps } from './catalog-copy.js';

/** stock.updated: available and reserved, for the pre-check when placing an order. */
export function onStockUpdated(deps: CatalogCopyDeps): Handler<Topics['stock.updated']> {
  return async (event) => {
    const { productId, available, reserved, version } = event.payload;
    const applied = await deps.catalog.updateStock(catalogEventRef(event), {
      productId,
      available,
      reserved,
      version,
    });
    deps.logger.debug({ eventId: event.metadata.eventId, productId, applied }, 'stock.updated handled');
  };
}
