import { describe, expect, it } from 'vitest';
import type { AddressModel, UserModel } from './models.js';
import type { UserStore } from './domain/ports.js';
import { createLoaders } from './loaders.js';

const user = (id: string): UserModel => ({
  id,
  email: `${id}@example.com`,
  firstName: 'A',
  lastName: 'B',
  phone: null,
  role: 'CUSTOMER',
  isActive: true,
  createdAt: new Date(0),
});
const address = (id: string, userId: string): AddressModel => ({
  id,
  userId,
  line1: 'l',
  line2: null,
  city: 'c',
  state: 's',
  postalCode: 'p',
  country: 'US',
  isDefault: false,
  createdAt: new Date(0),
});

function fakeStore(calls: string[][]): UserStore {
  return {
    findUsers: (ids) => {
      calls.push([...ids]);
      return Promise.resolve(ids.filter((id) => id !== 'u3').map(user));
    },
    findAddresses: (userIds) => {
      calls.push([...userIds]);
      return Promise.resolve([address('a1', 'u1'), address('a2', 'u2'), address('a3', 'u1')]);
    },
    findCredentialsByEmail: () => Promise.reject(new Error('not used')),
    transaction: () => Promise.reject(new Error('not used')),
  };
}

describe('loaders', () => {
  it('load many users with one store call, missing ones as null', async () => {
    const calls: string[][] = [];
    const { userById } = createLoaders(fakeStore(calls));
    const users = await Promise.all(['u1', 'u2', 'u3'].map((id) => userById.load(id)));
    expect(users.map((found) => found?.id ?? null)).toEqual(['u1', 'u2', null]);
    expect(calls).toEqual([['u1', 'u2', 'u3']]);
  });

  it("load many users' addresses with one store call, grouped by user in order", async () => {
    const calls: string[][] = [];
    const { addressesByUserId } = createLoaders(fakeStore(calls));
    const lists = await Promise.all(['u1', 'u2', 'u9'].map((id) => addressesByUserId.load(id)));
    expect(lists.map((list) => list.map((found) => found.id))).toEqual([['a1', 'a3'], ['a2'], []]);
    expect(calls).toHaveLength(1);
  });
});
