import DataLoader from 'dataloader';
import type { Order } from './domain/order.js';
import type { OrderStore } from './domain/ports.js';

/** Per-request batching: one store query per batch of orders or of users. */
export interface OrdersLoaders {
  readonly orderById: DataLoader<string, Order | undefined>;
  /** A user's orders, newest first. */
  readonly ordersByUserId: DataLoader<string, readonly Order[]>;
}

export function createLoaders(orders: OrderStore): OrdersLoaders {
  return {
    orderById: new DataLoader(async (ids: readonly string[]) => {
      const found = new Map((await orders.findByIds(ids)).map((order) => [order.id, order]));
      return ids.map((id) => found.get(id));
    }),
    ordersByUserId: new DataLoader(async (userIds: readonly string[]) => {
      const byUser = new Map<string, Order[]>(userIds.map((userId) => [userId, []]));
      // The store returns newest first; grouping keeps that order within each user.
      for (const order of await orders.findByUserIds(userIds)) byUser.get(order.userId)?.push(order);
      return userIds.map((userId) => byUser.get(userId) ?? []);
    }),
  };
}
