import type { Envelope, Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { toCents } from '../domain/money.js';
import type { CatalogEventRef, CatalogWriter } from '../domain/ports.js';

/** What the handlers keeping the catalog copy (product and stock events) need. */
export interface CatalogCopyDeps {
  readonly catalog: CatalogWriter;
  readonly logger: Logger;
}

/** The event as the catalog copy records it: applied once, older product events ignored. */
export function catalogEventRef(event: Envelope<unknown>): CatalogEventRef {
  return { eventId: event.metadata.eventId, occurredAt: new Date(event.metadata.occurredAt) };
}

/** product.created and product.updated: the catalog entry takes the product's name and price. */
export async function copyProduct(
  deps: CatalogCopyDeps,
  event: Envelope<Topics['product.created'] | Topics['product.updated']>,
): Promise<void> {
  const { productId, name, price } = event.payload;
  const applied = await deps.catalog.upsertProduct(catalogEventRef(event), {
    productId,
    name,
    priceCents: toCents(price),
  });
  deps.logger.debug(
    { eventId: event.metadata.eventId, productId, applied },
    `${event.metadata.eventType} handled`,
  );
}
