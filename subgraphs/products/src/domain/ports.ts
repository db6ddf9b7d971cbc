import type { OutgoingEvent } from '@commerce/common/events';
import type { PageRequest, ProductQuery } from './listing.js';
import type { ProductModel } from './product.js';

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
  /** Stores a new product with its events (keyed by the product id). */
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
