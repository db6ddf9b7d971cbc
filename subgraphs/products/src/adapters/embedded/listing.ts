import type { ListPosition, ProductQuery } from '../../domain/listing.js';
import type { ProductModel } from '../../domain/product.js';

/**
 * Whether a product belongs to a listing: live, matching `query`, and strictly after `after` in
 * newest-first order. The same rules as the Mongo filter (buildProductFilter).
 */
export function matchesListing(product: ProductModel, query: ProductQuery, after?: ListPosition): boolean {
  if (product.deletedAt !== null) return false;
  if (query.category !== undefined && product.category !== query.category) return false;
  if (query.minPriceCents !== undefined && product.priceCents < query.minPriceCents) return false;
  if (query.maxPriceCents !== undefined && product.priceCents > query.maxPriceCents) return false;
  if (query.search !== undefined) {
    const needle = query.search.toLowerCase();
    const inName = product.name.toLowerCase().includes(needle);
    if (!inName && !(product.description ?? '').toLowerCase().includes(needle)) return false;
  }
  return after === undefined || compareNewestFirst(product, after) > 0;
}

/** Newest first (createdAt desc); the id (desc) breaks ties so that every position is unique. */
export function compareNewestFirst(a: ListPosition, b: ListPosition): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
}
