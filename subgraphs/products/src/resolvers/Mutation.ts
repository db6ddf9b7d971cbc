import { randomUUID } from 'node:crypto';
import { requireRole } from '@commerce/common/auth';
import type { EventOrigin } from '@commerce/common/events';
import { parseNewProduct, parseProductChanges } from '../domain/product.js';
import type { Context } from '../context.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';

/** Catalog writes, ADMIN only; each stores its event with the change (outbox). */
export const Mutation: MutationResolvers = {
  createProduct: (_parent, { input }, context) => {
    requireRole(context, 'ADMIN');
    return context.catalog.create(parseNewProduct(input), origin(context));
  },

  updateProduct: (_parent, { id, input }, context) => {
    requireRole(context, 'ADMIN');
    return context.catalog.update(id, parseProductChanges(input), origin(context));
  },

  deleteProduct: (_parent, { id }, context) => {
    requireRole(context, 'ADMIN');
    return context.catalog.delete(id, origin(context));
  },
};

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function origin(context: Context): EventOrigin {
  // Envelopes require a UUID correlation id; a caller's x-correlation-id may be any text.
  const correlationId = uuid.test(context.correlationId) ? context.correlationId : randomUUID();
  return { source: 'products', correlationId };
}
