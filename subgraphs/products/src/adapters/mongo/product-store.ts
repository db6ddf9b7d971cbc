import type { OutgoingEvent } from '@commerce/common/events';
import { pendingEvent, withDocumentLock, type PendingEvent } from '@commerce/common/mongo';
import type { Collection, Db } from 'mongodb';
import type { PageRequest, ProductQuery } from '../../domain/listing.js';
import type { ProductSlice, ProductStore } from '../../domain/ports.js';
import type { ProductModel } from '../../domain/product.js';
import { productsCollection, toDocumentFields, toProduct, type ProductDocument } from './documents.js';
import { storeCall } from './errors.js';
import { buildProductFilter, listingSort } from './query.js';

/** Reads never carry the outbox back to the application. */
const withoutOutbox = { projection: { pendingEvents: 0 } } as const;

/** ProductStore on MongoDB / FerretDB v1: each change and its events are one single-document write. */
export class MongoProductStore implements ProductStore {
  private readonly products: Collection<ProductDocument>;

  constructor(db: Db) {
    this.products = db.collection<ProductDocument>(productsCollection);
  }

  insert(product: ProductModel, events: readonly OutgoingEvent[]): Promise<void> {
    return storeCall(async () => {
      await this.products.insertOne({ ...toDocumentFields(product), pendingEvents: toPending(events) });
    });
  }

  replace(expected: ProductModel, next: ProductModel, events: readonly OutgoingEvent[]): Promise<boolean> {
    // FerretDB v1 writes a document back whole without isolation: every writer of one document
    // (this store and the outbox relay) takes its lock.
    return storeCall(async () => {
      const result = await withDocumentLock(this.products, expected.id, () =>
        this.products.updateOne(
          { _id: expected.id, deletedAt: null, updatedAt: expected.updatedAt },
          {
            $set: {
              name: next.name,
              description: next.description,
              category: next.category,
              priceCents: next.priceCents,
              updatedAt: next.updatedAt,
            },
            $push: { pendingEvents: { $each: toPending(events) } },
          },
        ),
      );
      return result.matchedCount === 1;
    });
  }

  markDeleted(id: string, deletedAt: Date, events: readonly OutgoingEvent[]): Promise<boolean> {
    return storeCall(async () => {
      const result = await withDocumentLock(this.products, id, () =>
        this.products.updateOne(
          { _id: id, deletedAt: null },
          {
            $set: { deletedAt, updatedAt: deletedAt },
            $push: { pendingEvents: { $each: toPending(events) } },
          },
        ),
      );
      return result.matchedCount === 1;
    });
  }

  findByIds(ids: readonly string[]): Promise<readonly ProductModel[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return storeCall(async () => {
      const docs = await this.products.find({ _id: { $in: [...ids] } }, withoutOutbox).toArray();
      return docs.map(toProduct);
    });
  }

  list(query: ProductQuery, page: PageRequest): Promise<ProductSlice> {
    return storeCall(async () => {
      // One extra row tells whether another page follows.
      const docs = await this.products
        .find(buildProductFilter(query, page.after), withoutOutbox)
        .sort(listingSort)
        .limit(page.first + 1)
        .toArray();
      return { items: docs.slice(0, page.first).map(toProduct), hasNextPage: docs.length > page.first };
    });
  }

  count(query: ProductQuery): Promise<number> {
    return storeCall(() => this.products.countDocuments(buildProductFilter(query)));
  }
}

function toPending(events: readonly OutgoingEvent[]): PendingEvent[] {
  return events.map((event) => pendingEvent(event.topic, event.key, event.envelope));
}
