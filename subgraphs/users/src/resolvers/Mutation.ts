import { requireViewer } from '@commerce/common/auth';
import type { MutationResolvers } from '../generated/resolvers-types.js';

export const Mutation: MutationResolvers = {
  register: (_parent, { input }, context) => context.accounts.register(input, context.origin),

  login: (_parent, { email, password }, context) => context.sessions.login(email, password),

  refreshToken: (_parent, { refreshToken }, context) => context.sessions.refresh(refreshToken),

  updateMe: async (_parent, { input }, context) => {
    const { userId } = requireViewer(context);
    const user = await context.accounts.updateProfile(userId, input);
    context.loaders.userById.clear(userId).prime(userId, user);
    return user;
  },

  addAddress: async (_parent, { input }, context) => {
    const { userId } = requireViewer(context);
    const address = await context.accounts.addAddress(userId, input);
    context.loaders.addressesByUserId.clear(userId);
    return address;
  },
};
