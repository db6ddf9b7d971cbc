import { randomUUID } from 'node:crypto';
import { requireRole } from '@commerce/common/auth';
import type { EventOrigin } from '@commerce/common/events';
import { adjustStock } from '../domain/productStock.js';
import type { Context } from '../context.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const Mutation: MutationResolvers = {
  adjustStock: async (_parent, { productId, delta, reason }, ctx) => {
    const viewer = requireRole(ctx, 'ADMIN');
    const item = await ctx.store.transaction((tx) =>
      adjustStock(tx, { productId, delta }, requestOrigin(ctx)),
    );
    ctx.notifyOutbox();
    ctx.logger.info(
      { productId, delta, reason, by: viewer.userId, available: item.available },
      'stock adjusted',
    );
    ctx.loaders.stockByProductId.clear(productId).prime(productId, item);
    return item;
  },
};

/** Events caused by a request carry its correlation id (the envelope requires a UUID; a client may send anything). */
function requestOrigin(ctx: Context): EventOrigin {
  return {
    source: 'inventory',
    correlationId: uuid.test(ctx.correlationId) ? ctx.correlationId : randomUUID(),
  };
}
