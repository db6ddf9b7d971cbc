import { randomUUID } from 'node:crypto';
import { generateKeyPair } from '@commerce/common/auth';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyHash } from '../../../../test/fixtures/legacy-password-hash.js';
import { createEmbeddedUsersDataSource } from '../adapters/typeorm/data-source.js';
import { TypeormUserStore } from '../adapters/typeorm/user-store.js';
import { needsRehash, verifyPassword } from './password.js';
import { Sessions } from './sessions.js';

let dataSource: DataSource;
let store: TypeormUserStore;
let sessions: Sessions;

beforeAll(async () => {
  dataSource = await createEmbeddedUsersDataSource().initialize();
  store = new TypeormUserStore(dataSource);
  sessions = new Sessions({
    store,
    tokens: {
      privateKey: generateKeyPair().privateKey,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 3600,
    },
  });
});

afterAll(async () => {
  await dataSource?.destroy();
});

async function userWithHash(email: string, passwordHash: string): Promise<void> {
  await store.transaction((tx) =>
    tx.insertUser({
      id: randomUUID(),
      email,
      passwordHash,
      firstName: 'Old',
      lastName: 'Hash',
      phone: null,
      role: 'CUSTOMER',
      createdAt: new Date(),
    }),
  );
}

const storedHash = async (email: string): Promise<string> =>
  (await store.findCredentialsByEmail(email))?.passwordHash ?? '';

describe('login and the password hash cost', () => {
  it('upgrades a hash made at an older cost on the next successful login', async () => {
    const old = legacyHash('Password123');
    await userWithHash('legacy@example.com', old);

    await sessions.login('legacy@example.com', 'Password123');

    const upgraded = await storedHash('legacy@example.com');
    expect(upgraded).not.toBe(old);
    expect(upgraded.split('$').slice(0, 4)).toEqual(['scrypt', '131072', '8', '1']);
    expect(needsRehash(upgraded)).toBe(false);
    expect(await verifyPassword('Password123', upgraded)).toBe(true);
    // The upgraded hash keeps working, and is not replaced again.
    await sessions.login('legacy@example.com', 'Password123');
    expect(await storedHash('legacy@example.com')).toBe(upgraded);
  });

  it('leaves an old hash alone when the password is wrong', async () => {
    const old = legacyHash('Password123');
    await userWithHash('wrong@example.com', old);
    await expect(sessions.login('wrong@example.com', 'Password124')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await storedHash('wrong@example.com')).toBe(old);
  });
});
