import { requireRole } from '@commerce/common/auth';
import type { MutationResolvers } from '../generated/resolvers-types.js';

export const Mutation: MutationResolvers = {
  adjustStock: async (_parent, { productId, delta, reason }, ctx) => {
    const viewer = requireRole(ctx, 'ADMIN');
    const item = await ctx.stock.adjustStock({ productId, delta }, ctx.origin);
    ctx.logger.info(
      { productId, delta, reason, by: viewer.userId, available: item.available },
      'stock adjusted',
    );
    ctx.loaders.stockByProductId.clear(productId).prime(productId, item);
    return item;
  },
};
