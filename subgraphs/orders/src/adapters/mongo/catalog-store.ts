import type { Collection, Db, Filter, UpdateFilter } from 'mongodb';
import type { CatalogProduct } from '../../domain/order.js';
import type { CatalogEventRef, CatalogReader, CatalogWriter } from '../../domain/ports.js';
import { toCatalogProduct, type CatalogDocument } from './documents.js';
import { applyOnce } from './processed-events.js';

export const catalogCollection = 'catalog';

type Update = UpdateFilter<CatalogDocument>;

/** The catalog kept from product and stock events, one document per product. */
export class MongoCatalogStore implements CatalogReader, CatalogWriter {
  private readonly collection: Collection<CatalogDocument>;

  constructor(db: Db) {
    this.collection = db.collection<CatalogDocument>(catalogCollection);
  }

  async findByIds(productIds: readonly string[]): Promise<CatalogProduct[]> {
    if (productIds.length === 0) return [];
    const docs = await this.collection
      .find({ _id: { $in: [...productIds] } }, { projection: { processedEventIds: 0 } })
      .toArray();
    return docs.map(toCatalogProduct).filter((product) => product !== undefined);
  }

  async upsertProduct(
    event: CatalogEventRef,
    product: { productId: string; name: string; priceCents: number },
  ): Promise<boolean> {
    // product.created and product.updated travel on different topics: the newer one must win.
    const notNewer: Filter<CatalogDocument> = {
      $or: [
        { productEventAt: { $exists: false } },
        { productEventAt: null },
        { productEventAt: { $lte: event.occurredAt } },
      ],
    };
    const update: Update = {
      $set: { name: product.name, priceCents: product.priceCents, productEventAt: event.occurredAt },
      $setOnInsert: { deleted: false, available: null, reserved: null, stockVersion: null },
    };
    return this.apply(product.productId, event, notNewer, update);
  }

  markDeleted(event: CatalogEventRef, productId: string): Promise<boolean> {
    // A deletion is final, whatever its order relative to the other product events.
    const update: Update = {
      $set: { deleted: true },
      $setOnInsert: {
        name: null,
        priceCents: null,
        productEventAt: null,
        available: null,
        reserved: null,
        stockVersion: null,
      },
    };
    return this.apply(productId, event, {}, update);
  }

  updateStock(
    event: CatalogEventRef,
    stock: { productId: string; available: number; reserved: number; version: number },
  ): Promise<boolean> {
    // By version, not time: two changes of one row may share a timestamp, never a version.
    const older: Filter<CatalogDocument> = {
      $or: [
        { stockVersion: { $exists: false } },
        { stockVersion: null },
        { stockVersion: { $lt: stock.version } },
      ],
    };
    const update: Update = {
      $set: { available: stock.available, reserved: stock.reserved, stockVersion: stock.version },
      $setOnInsert: { name: null, priceCents: null, deleted: false, productEventAt: null },
    };
    return this.apply(stock.productId, event, older, update);
  }

  /** Upserts the product's document once per event; false when skipped (redelivery or stale). */
  private async apply(
    productId: string,
    event: CatalogEventRef,
    condition: Filter<CatalogDocument>,
    update: Update,
  ): Promise<boolean> {
    const after = await applyOnce(this.collection, productId, event.eventId, condition, update, {
      upsert: true,
    });
    return after !== undefined;
  }
}
