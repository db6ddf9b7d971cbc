import { badInput } from '@commerce/common/errors';

/** Where a page starts: strictly after this product in (createdAt desc, id desc) order. */
export interface ListPosition {
  readonly createdAt: Date;
  readonly id: string;
}

/** Which products a listing includes (deleted products never are). Prices in cents, inclusive. */
export interface ProductQuery {
  readonly category?: string;
  readonly minPriceCents?: number;
  readonly maxPriceCents?: number;
  /** Case-insensitive substring of the name or description, as the user typed it. */
  readonly search?: string;
}

export interface PageRequest {
  readonly first: number;
  readonly after?: ListPosition;
}

export const defaultPageSize = 20;
export const maxPageSize = 100;
const maxSearchLength = 200;

/** Opaque cursor: base64url of "<createdAt ISO>|<id>". */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor; BAD_USER_INPUT for anything else. */
export function decodeCursor(cursor: string): ListPosition {
  const invalid = badInput('after is not a valid cursor', { field: 'after' });
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const separator = text.indexOf('|');
  if (separator < 0) throw invalid;
  const iso = text.slice(0, separator);
  const id = text.slice(separator + 1);
  const createdAt = new Date(iso);
  if (!id || Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) throw invalid;
  return { createdAt, id };
}

/** Validates `first` and `after` of Query.products. */
export function parsePageRequest(
  first: number | null | undefined,
  after: string | null | undefined,
): PageRequest {
  const size = first ?? defaultPageSize;
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) {
    throw badInput(`first must be between 1 and ${maxPageSize}`, { field: 'first' });
  }
  return after ? { first: size, after: decodeCursor(after) } : { first: size };
}

/** Validates a ProductFilter; blank strings mean "no condition". */
export function parseProductQuery(
  filter:
    | { category?: string | null; minPrice?: number | null; maxPrice?: number | null; search?: string | null }
    | null
    | undefined,
): ProductQuery {
  const query: { -readonly [K in keyof ProductQuery]: ProductQuery[K] } = {};
  const category = filter?.category?.trim();
  if (category) query.category = category;
  const search = filter?.search?.trim();
  if (search) {
    if (search.length > maxSearchLength)
      throw badInput(`search must be at most ${maxSearchLength} characters`, { field: 'search' });
    query.search = search;
  }
  if (filter?.minPrice != null) query.minPriceCents = priceToCentsBound(filter.minPrice, 'minPrice', 'min');
  if (filter?.maxPrice != null) query.maxPriceCents = priceToCentsBound(filter.maxPrice, 'maxPrice', 'max');
  if (
    query.minPriceCents !== undefined &&
    query.maxPriceCents !== undefined &&
    query.minPriceCents > query.maxPriceCents
  ) {
    throw badInput('minPrice must not be greater than maxPrice', { field: 'minPrice' });
  }
  return query;
}

/** A price bound in cents: a min rounds up and a max rounds down to whole cents (both inclusive). */
function priceToCentsBound(price: number, field: string, side: 'min' | 'max'): number {
  if (!Number.isFinite(price) || price < 0) throw badInput(`${field} must be a number >= 0`, { field });
  const exact = price * 100;
  const nearest = Math.round(exact);
  // 899.99 * 100 is 89998.99999999999 in binary floating point: that is still 89999 cents.
  if (Math.abs(exact - nearest) < 1e-6) return nearest;
  return side === 'min' ? Math.ceil(exact) : Math.floor(exact);
}
