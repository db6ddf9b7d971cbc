import DataLoader from 'dataloader';
import type { AddressModel, UserModel } from './models.js';
import type { UserStore } from './domain/ports.js';

/** Per-request batching: one query for every user, and one for every user's addresses, of a tick. */
export interface UsersLoaders {
  readonly userById: DataLoader<string, UserModel | null>;
  readonly addressesByUserId: DataLoader<string, AddressModel[]>;
}

export function createLoaders(store: UserStore): UsersLoaders {
  return {
    userById: new DataLoader(async (ids) => {
      const users = new Map((await store.findUsers(ids)).map((user) => [user.id, user]));
      return ids.map((id) => users.get(id.toLowerCase()) ?? null);
    }),
    addressesByUserId: new DataLoader(async (userIds) => {
      const byUser = new Map<string, AddressModel[]>();
      for (const address of await store.findAddresses(userIds)) {
        const list = byUser.get(address.userId);
        if (list) list.push(address);
        else byUser.set(address.userId, [address]);
      }
      return userIds.map((id) => byUser.get(id.toLowerCase()) ?? []);
    }),
  };
}
