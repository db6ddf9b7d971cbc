import type { ProductResolvers } from '../generated/resolvers-types.js';

export const Product: ProductResolvers = {
  // Nothing to fetch for the key itself; `inventory` is batched per request by its loader.
  __resolveReference: (reference) => ({ id: reference.id }),
  inventory: (product, _args, ctx) => ctx.loaders.stockByProductId.load(product.id),
};
