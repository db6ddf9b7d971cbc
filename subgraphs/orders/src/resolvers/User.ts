import { requireViewer } from '@commerce/common/auth';
import { assertCanSeeOrdersOf } from '../domain/access.js';
import type { UserResolvers } from '../generated/resolvers-types.js';

export const User: UserResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  /** Batched per request: one query for the orders of every user in the fetch. */
  orders: async (user, _args, context) => {
    assertCanSeeOrdersOf(requireViewer(context), user.id);
    return [...(await context.loaders.ordersByUserId.load(user.id))];
  },
};
