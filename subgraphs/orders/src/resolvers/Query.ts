import { requireViewer } from '@commerce/common/auth';
import { assertCanSeeOrdersOf } from '../domain/access.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';

export const Query: QueryResolvers = {
  orders: (_parent, _args, context) => context.service.visibleOrders(requireViewer(context)),
  /** null when it does not exist; FORBIDDEN when it is another user's. */
  order: async (_parent, { id }, context) => {
    const viewer = requireViewer(context);
    const order = await context.loaders.orderById.load(id);
    if (!order) return null;
    assertCanSeeOrdersOf(viewer, order.userId);
    return order;
  },
};
