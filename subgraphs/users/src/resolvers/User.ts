import { requireViewer } from '@commerce/common/auth';
import { forbidden } from '@commerce/common/errors';
import type { UserResolvers } from '../generated/resolvers-types.js';

export const User: UserResolvers = {
  // Another service asks for a user by id: only that user and ADMIN may see it.
  __resolveReference: async (reference, context) => {
    const viewer = requireViewer(context);
    if (viewer.role !== 'ADMIN' && viewer.userId !== reference.id)
      throw forbidden('Not allowed to see this user');
    return context.loaders.userById.load(reference.id);
  },
  createdAt: (user) => user.createdAt.toISOString(),
  addresses: (user, _args, context) => context.loaders.addressesByUserId.load(user.id),
};
