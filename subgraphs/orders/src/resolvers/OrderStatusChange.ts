import type { OrderStatusChangeResolvers } from '../generated/resolvers-types.js';

export const OrderStatusChange: OrderStatusChangeResolvers = {
  at: (change) => change.at.toISOString(),
};
