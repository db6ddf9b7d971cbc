import type { Envelope, TopicName } from '@commerce/common/events';
import type { ProductModel } from './domain/product.js';
import type { PageRequest, ProductQuery } from './domain/listing.js';

/** An event to publish, stored in the same write as the change it describes (outbox). */
export interface OutgoingEvent {
  readonly topic: TopicName;
  /** The aggregate id: the product id. */
  readonly key: string;
  readonly envelope: Envelope<unknown>;
}

/** One page of a listing, newest first. */
export interface ProductSlice {
  readonly items: readonly ProductModel[];
  readonly hasNextPage: boolean;
}

/**
 * The catalog's storage. Every write stores the change and its events atomically (one document write).
 * "Not found" is `undefined` or `false`; failures of the store itself are AppErrors with `retriable`.
 */
export interface ProductStore {
  /** Stores a new product with its events. */
  insert(product: ProductModel, events: readonly OutgoingEvent[]): Promise<void>;
  /**
   * Writes `next` over `expected` if the product is not deleted and still at `expected.updatedAt`.
   * False when it was changed or deleted meanwhile (nothing is written then).
   */
  replace(expected: ProductModel, next: ProductModel, events: readonly OutgoingEvent[]): Promise<boolean>;
  /** Soft-deletes a product; false when it is unknown or already deleted. */
  markDeleted(id: string, deletedAt: Date, events: readonly OutgoingEvent[]): Promise<boolean>;
  /** Products with these ids, deleted ones included, in no particular order. */
  findByIds(ids: readonly string[]): Promise<readonly ProductModel[]>;
  /** Products matching `query` (never deleted ones), createdAt desc then id desc, after `page.after`. */
  list(query: ProductQuery, page: PageRequest): Promise<ProductSlice>;
  /** How many products match `query`, ignoring pagination. */
  count(query: ProductQuery): Promise<number>;
}
