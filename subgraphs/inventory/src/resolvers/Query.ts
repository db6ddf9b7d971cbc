import type { QueryResolvers } from '../generated/resolvers-types.js';

export const Query: QueryResolvers = {
  inventoryItem: (_parent, { productId }, ctx) => ctx.loaders.stockByProductId.load(productId),
};
