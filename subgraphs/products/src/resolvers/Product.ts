import { centsToPrice } from '../domain/product.js';
import type { ProductResolvers } from '../generated/resolvers-types.js';

/** Product entity: prices in cents become decimals; references resolve deleted products too (order history). */
export const Product: ProductResolvers = {
  __resolveReference: (reference, context) => context.loaders.productById.load(reference.id),
  price: (product) => centsToPrice(product.priceCents),
  createdAt: (product) => product.createdAt.toISOString(),
};
