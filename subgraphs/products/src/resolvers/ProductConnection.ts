import { encodeCursor } from '../domain/listing.js';
import type { ProductConnectionResolvers } from '../generated/resolvers-types.js';

/** A listing page; totalCount runs its count query only when selected. */
export const ProductConnection: ProductConnectionResolvers = {
  edges: (page) => page.items.map((node) => ({ cursor: encodeCursor(node), node })),
  pageInfo: (page) => {
    const last = page.items.at(-1);
    return { endCursor: last ? encodeCursor(last) : null, hasNextPage: page.hasNextPage };
  },
  totalCount: (page, _args, context) => context.catalog.count(page.query),
};
