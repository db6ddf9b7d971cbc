import type { Envelope, Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { toCents } from '../domain/money.js';
import type { CatalogEventRef, CatalogWriter } from '../domain/ports.js';

const ref = (event: Envelope<unknown>): CatalogEventRef => ({
  eventId: event.metadata.eventId,
  occurredAt: new Date(event.metadata.occurredAt),
});

/** product.created and product.updated: the catalog entry takes the product's name and price. */
export function onProductChanged(catalog: CatalogWriter, logger: Logger) {
  return async (event: Envelope<Topics['product.created'] | Topics['product.updated']>): Promise<void> => {
    const { productId, name, price } = event.payload;
    const applied = await catalog.upsertProduct(ref(event), { productId, name, priceCents: toCents(price) });
    logger.debug(
      { eventId: event.metadata.eventId, productId, applied },
      `${event.metadata.eventType} handled`,
    );
  };
}

/** product.deleted: the product can no longer be ordered. */
export function onProductDeleted(catalog: CatalogWriter, logger: Logger) {
  return async (event: Envelope<Topics['product.deleted']>): Promise<void> => {
    const applied = await catalog.markDeleted(ref(event), event.payload.productId);
    logger.debug(
      { eventId: event.metadata.eventId, productId: event.payload.productId, applied },
      'product.deleted handled',
    );
  };
}

/** stock.updated: available and reserved, for the pre-check when placing an order. */
export function onStockUpdated(catalog: CatalogWriter, logger: Logger) {
  return async (event: Envelope<Topics['stock.updated']>): Promise<void> => {
    const { productId, available, reserved, updatedAt } = event.payload;
    const applied = await catalog.updateStock(ref(event), {
      productId,
      available,
      reserved,
      updatedAt: new Date(updatedAt),
    });
    logger.debug({ eventId: event.metadata.eventId, productId, applied }, 'stock.updated handled');
  };
}
