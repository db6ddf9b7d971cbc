import { requireViewer } from '@commerce/common/auth';
import { assertCanSeeOrdersOf } from '../domain/access.js';
import { fromCents } from '../domain/money.js';
import { isOpen } from '../domain/order.js';
import type { OrderResolvers } from '../generated/resolvers-types.js';

export const Order: OrderResolvers = {
  /** Batched per request: one query for all the orders of one entity fetch. */
  __resolveReference: async ({ id }, context) => {
    const viewer = requireViewer(context);
    const order = await context.loaders.orderById.load(id);
    if (!order) return null;
    assertCanSeeOrdersOf(viewer, order.userId);
    return order;
  },
  user: (order) => ({ id: order.userId }),
  items: (order) => [...order.items],
  total: (order) => fromCents(order.totalCents),
  history: (order) => [...order.history],
  payments: (order) => [...order.payments],
  paymentDueAt: (order) => (isOpen(order.status) ? (order.paymentDueAt?.toISOString() ?? null) : null),
  createdAt: (order) => order.createdAt.toISOString(),
  updatedAt: (order) => order.updatedAt.toISOString(),
};
