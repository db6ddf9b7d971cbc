import type { QueryResolvers } from '../generated/resolvers-types.js';

export const Query: QueryResolvers = {
  // Anonymous: null. A token that was sent but is not valid: its error, not a silent null.
  me: async (_parent, _args, context) => {
    if (context.authError) throw context.authError;
    if (!context.viewer) return null;
    return context.loaders.userById.load(context.viewer.userId);
  },
};
