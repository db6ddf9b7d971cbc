import type { DocumentCollection, DocumentDatabase } from '@commerce/common/embedded';
import type { CatalogProduct } from '../../domain/order.js';
import type { CatalogEventRef, CatalogReader, CatalogWriter } from '../../domain/ports.js';
import { catalogCollection } from '../mongo/catalog-store.js';
import { toCatalogProduct, type CatalogDocument } from '../mongo/documents.js';
import { applyOnce } from './apply-once.js';

/** What a catalog document holds before any event set its fields. */
const blank = (productId: string): CatalogDocument => ({
  _id: productId,
  name: null,
  priceCents: null,
  deleted: false,
  available: null,
  reserved: null,
  stockVersion: null,
  productEventAt: null,
  processedEventIds: [],
});

const notAfter = (stored: Date | null, incoming: Date): boolean =>
  stored === null || stored.getTime() <= incoming.getTime();

/**
 * The catalog kept from product and stock events in the embedded document database: the rules of
 * MongoCatalogStore (newest product event wins, deletion is final, older stock is ignored, each
 * event applied once), one document per product.
 */
export class EmbeddedCatalogStore implements CatalogReader, CatalogWriter {
  private readonly collection: DocumentCollection<CatalogDocument>;

  constructor(database: DocumentDatabase) {
    this.collection = database.collection<CatalogDocument>(catalogCollection);
  }

  findByIds(productIds: readonly string[]): Promise<CatalogProduct[]> {
    const documents = [...new Set(productIds)].flatMap((id) => this.collection.get(id) ?? []);
    return Promise.resolve(documents.map(toCatalogProduct).filter((product) => product !== undefined));
  }

  upsertProduct(
    event: CatalogEventRef,
    product: { productId: string; name: string; priceCents: number },
  ): Promise<boolean> {
    // product.created and product.updated travel on different topics: the newer one must win.
    return this.apply(product.productId, event, (current) =>
      notAfter(current.productEventAt, event.occurredAt)
        ? { ...current, name: product.name, priceCents: product.priceCents, productEventAt: event.occurredAt }
        : undefined,
    );
  }

  markDeleted(event: CatalogEventRef, productId: string): Promise<boolean> {
    // A deletion is final, whatever its order relative to the other product events.
    return this.apply(productId, event, (current) => ({ ...current, deleted: true }));
  }

  updateStock(
    event: CatalogEventRef,
    stock: { productId: string; available: number; reserved: number; version: number },
  ): Promise<boolean> {
    return this.apply(stock.productId, event, (current) =>
      // A document written before versions has none (undefined in its JSON): any version is newer.
      (current.stockVersion ?? 0) < stock.version
        ? { ...current, available: stock.available, reserved: stock.reserved, stockVersion: stock.version }
        : undefined,
    );
  }

  /** Creates or changes the product's document once per event; false when skipped. */
  private apply(
    productId: string,
    event: CatalogEventRef,
    change: (current: CatalogDocument) => CatalogDocument | undefined,
  ): Promise<boolean> {
    const after = applyOnce(this.collection, productId, event.eventId, (current) =>
      change(current ?? blank(productId)),
    );
    return Promise.resolve(after !== undefined);
  }
}
