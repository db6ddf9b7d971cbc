import type { DocumentCollection, DocumentDatabase } from '@commerce/common/embedded';
import type { OutgoingEvent } from '@commerce/common/events';
import { conflict } from '@commerce/common/errors';
import { pendingEvent, type PendingEvent } from '@commerce/common/mongo';
import type { PageRequest, ProductQuery } from '../../domain/listing.js';
import type { ProductSlice, ProductStore } from '../../domain/ports.js';
import type { ProductModel } from '../../domain/product.js';
import { productsCollection, toDocumentFields, toProduct, type ProductDocument } from '../mongo/documents.js';
import { compareNewestFirst, matchesListing } from './listing.js';

/**
 * ProductStore on the embedded document database: the same documents as in MongoDB (pending
 * events inside), each change and its events one write of the collection.
 */
export class EmbeddedProductStore implements ProductStore {
  private readonly products: DocumentCollection<ProductDocument>;

  constructor(database: DocumentDatabase) {
    this.products = database.collection<ProductDocument>(productsCollection);
  }

  insert(product: ProductModel, events: readonly OutgoingEvent[]): Promise<void> {
    const document = { ...toDocumentFields(product), pendingEvents: toPending(events) };
    if (!this.products.insert(document)) return Promise.reject(conflict('Product already exists'));
    return Promise.resolve();
  }

  replace(expected: ProductModel, next: ProductModel, events: readonly OutgoingEvent[]): Promise<boolean> {
    const written = this.products.update(expected.id, (current) =>
      current && current.deletedAt === null && current.updatedAt.getTime() === expected.updatedAt.getTime()
        ? {
            ...current,
            name: next.name,
            description: next.description,
            category: next.category,
            priceCents: next.priceCents,
            updatedAt: next.updatedAt,
            pendingEvents: [...current.pendingEvents, ...toPending(events)],
          }
        : undefined,
    );
    return Promise.resolve(written !== undefined);
  }

  markDeleted(id: string, deletedAt: Date, events: readonly OutgoingEvent[]): Promise<boolean> {
    const written = this.products.update(id, (current) =>
      current && current.deletedAt === null
        ? {
            ...current,
            deletedAt,
            updatedAt: deletedAt,
            pendingEvents: [...current.pendingEvents, ...toPending(events)],
          }
        : undefined,
    );
    return Promise.resolve(written !== undefined);
  }

  findByIds(ids: readonly string[]): Promise<readonly ProductModel[]> {
    return Promise.resolve(
      [...new Set(ids)].flatMap((id) => {
        const document = this.products.get(id);
        return document ? [toProduct(document)] : [];
      }),
    );
  }

  list(query: ProductQuery, page: PageRequest): Promise<ProductSlice> {
    const matching = this.matching(query, page).sort(compareNewestFirst);
    return Promise.resolve({
      items: matching.slice(0, page.first),
      hasNextPage: matching.length > page.first,
    });
  }

  count(query: ProductQuery): Promise<number> {
    return Promise.resolve(this.matching(query).length);
  }

  private matching(query: ProductQuery, page?: PageRequest): ProductModel[] {
    return this.products
      .find()
      .map(toProduct)
      .filter((product) => matchesListing(product, query, page?.after));
  }
}

function toPending(events: readonly OutgoingEvent[]): PendingEvent[] {
  return events.map((event) => pendingEvent(event.topic, event.key, event.envelope));
}
