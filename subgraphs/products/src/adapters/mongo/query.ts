import type { Filter } from 'mongodb';
import type { ListPosition, ProductQuery } from '../../domain/listing.js';
import type { ProductDocument } from './documents.js';

/** Newest first; the id breaks ties so that every position in the order is unique. */
export const listingSort = { createdAt: -1, _id: -1 } as const;

/** Escapes regular-expression metacharacters so the user's text matches literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The MongoDB filter of a listing: live products matching `query`, strictly after `after` in listingSort. */
export function buildProductFilter(query: ProductQuery, after?: ListPosition): Filter<ProductDocument> {
  // `deletedAt: null` also matches documents without the field.
  const filter: Filter<ProductDocument> = { deletedAt: null };
  if (query.category !== undefined) filter.category = query.category;
  if (query.minPriceCents !== undefined || query.maxPriceCents !== undefined) {
    filter.priceCents = {
      ...(query.minPriceCents !== undefined ? { $gte: query.minPriceCents } : {}),
      ...(query.maxPriceCents !== undefined ? { $lte: query.maxPriceCents } : {}),
    };
  }
  const alternatives: Filter<ProductDocument>[] = [];
  if (query.search !== undefined) {
    const pattern = { $regex: escapeRegex(query.search), $options: 'i' };
    alternatives.push({ $or: [{ name: pattern }, { description: pattern }] });
  }
  if (after) {
    alternatives.push({
      $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }],
    });
  }
  if (alternatives.length > 0) filter.$and = alternatives;
  return filter;
}
