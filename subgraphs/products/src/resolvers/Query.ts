import { parsePageRequest, parseProductQuery } from '../domain/listing.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';

/** Public catalog reads: deleted products are never listed nor found by id. */
export const Query: QueryResolvers = {
  products: (_parent, { filter, first, after }, context) =>
    context.catalog.list(parseProductQuery(filter), parsePageRequest(first, after)),

  product: async (_parent, { id }, context) => {
    const product = await context.loaders.productById.load(id);
    return product && !product.deletedAt ? product : null;
  },
};
