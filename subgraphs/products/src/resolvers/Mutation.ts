import { requireRole } from '@commerce/common/auth';
import { parseNewProduct, parseProductChanges } from '../domain/product.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';

/** Catalog writes, ADMIN only; each stores its event with the change (outbox). */
export const Mutation: MutationResolvers = {
  createProduct: (_parent, { input }, context) => {
    requireRole(context, 'ADMIN');
    return context.catalog.create(parseNewProduct(input), context.origin);
  },

  updateProduct: (_parent, { id, input }, context) => {
    requireRole(context, 'ADMIN');
    return context.catalog.update(id, parseProductChanges(input), context.origin);
  },

  deleteProduct: (_parent, { id }, context) => {
    requireRole(context, 'ADMIN');
    return context.catalog.delete(id, context.origin);
  },
};
