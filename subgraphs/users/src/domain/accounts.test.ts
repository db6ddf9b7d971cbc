import { randomUUID } from 'node:crypto';
import { generateKeyPair } from '@commerce/common/auth';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyHash } from '../../../../test/fixtures/legacy-password-hash.js';
import { createEmbeddedUsersDataSource } from '../adapters/typeorm/data-source.js';
import { TypeormUserStore } from '../adapters/typeorm/user-store.js';
import { Accounts } from './accounts.js';
import { needsRehash } from './password.js';
import { Sessions } from './sessions.js';

let dataSource: DataSource;
let store: TypeormUserStore;
let accounts: Accounts;
let sessions: Sessions;
const origin = { source: 'users', correlationId: randomUUID() };

beforeAll(async () => {
  dataSource = await createEmbeddedUsersDataSource().initialize();
  store = new TypeormUserStore(dataSource);
  accounts = new Accounts({ store, eventsWritten: () => undefined });
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

describe('seeding the admin', () => {
  it('creates the ADMIN, then finds it unchanged with the same password', async () => {
    const admin = { email: 'Root@Example.com', password: 'First-pass1' };
    expect(await accounts.seedAdmin(admin, origin)).toBe('created');
    expect(await accounts.seedAdmin(admin, origin)).toBe('unchanged');
    expect((await sessions.login('root@example.com', 'First-pass1')).user.role).toBe('ADMIN');
  });

  it('sets a changed ADMIN_PASSWORD on the next start and revokes the sessions of the old one', async () => {
    const email = 'rotate@example.com';
    await accounts.seedAdmin({ email, password: 'Old-pass12' }, origin);
    const before = await sessions.login(email, 'Old-pass12');

    expect(await accounts.seedAdmin({ email, password: 'New-pass34' }, origin)).toBe('password changed');

    expect((await sessions.login(email, 'New-pass34')).user.email).toBe(email);
    await expect(sessions.login(email, 'Old-pass12')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(sessions.refresh(before.refreshToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await accounts.seedAdmin({ email, password: 'New-pass34' }, origin)).toBe('unchanged');
  });

  it('upgrades the hash of an admin seeded at an older cost, keeping its password and sessions', async () => {
    const email = 'legacy-admin@example.com';
    await store.transaction((tx) =>
      tx.insertUser({
        id: randomUUID(),
        email,
        passwordHash: legacyHash('Legacy-pass1'),
        firstName: 'Admin',
        lastName: 'User',
        phone: null,
        role: 'ADMIN',
        createdAt: new Date(),
      }),
    );
    expect(await accounts.seedAdmin({ email, password: 'Legacy-pass1' }, origin)).toBe('unchanged');
    expect(needsRehash((await store.findCredentialsByEmail(email))?.passwordHash ?? '')).toBe(false);
    expect((await sessions.login(email, 'Legacy-pass1')).user.role).toBe('ADMIN');
  });

  it('never changes the password of an account of that email that is not an ADMIN', async () => {
    const customer = await accounts.register(
      { email: 'taken@example.com', password: 'Customer-1', firstName: 'C', lastName: 'U' },
      origin,
    );
    expect(await accounts.seedAdmin({ email: 'taken@example.com', password: 'Takeover-1' }, origin)).toBe(
      'not an admin',
    );
    expect((await sessions.login('taken@example.com', 'Customer-1')).user).toMatchObject({
      id: customer.id,
      role: 'CUSTOMER',
    });
  });
});
