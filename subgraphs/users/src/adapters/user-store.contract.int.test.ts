import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedSqlOutboxSource } from '@commerce/common/embedded';
import { createEnvelope, type OutboxRecord, type OutboxSource } from '@commerce/common/events';
import { TypeormOutboxSource } from '@commerce/common/typeorm';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../../test/harness/servers.js';
import type { NewUser } from '../domain/ports.js';
import { createEmbeddedUsersDataSource, createUsersDataSource } from './typeorm/data-source.js';
import { TypeormUserStore } from './typeorm/user-store.js';

interface Subject {
  readonly dataSource: DataSource;
  readonly outbox: OutboxSource;
  close(): Promise<void>;
}

async function postgres(): Promise<Subject> {
  const database = await createPostgresDatabase('users_contract');
  const dataSource = await createUsersDataSource(database.url).initialize();
  return {
    dataSource,
    outbox: new TypeormOutboxSource(dataSource),
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

async function embedded(): Promise<Subject> {
  const dataSource = await createEmbeddedUsersDataSource().initialize();
  return { dataSource, outbox: new EmbeddedSqlOutboxSource(dataSource), close: () => dataSource.destroy() };
}

const at = (minute: number): Date => new Date(Date.UTC(2025, 0, 1, 0, minute, 0, 123));
const newUser = (email: string): NewUser => ({
  id: randomUUID(),
  email,
  passwordHash: 'hash',
  firstName: 'First',
  lastName: 'Last',
  phone: null,
  role: 'CUSTOMER',
  createdAt: at(0),
});
const address = (userId: string, minute: number, isDefault: boolean) => ({
  id: randomUUID(),
  userId,
  line1: `${minute} Street`,
  line2: null,
  city: 'City',
  state: 'ST',
  postalCode: '12345',
  country: 'Country',
  isDefault,
  createdAt: at(minute),
});

describe.each([
  ['PostgreSQL', postgres],
  ['embedded SQLite', embedded],
])('UserStore contract: %s', (_name, open) => {
  let subject: Subject;
  let store: TypeormUserStore;

  beforeAll(async () => {
    subject = await open();
    store = new TypeormUserStore(subject.dataSource);
  });
  afterAll(async () => {
    await subject?.close();
  });

  it('stores a user, finds them by id and email, and answers CONFLICT for a taken email', async () => {
    const user = newUser('ada@example.com');
    const inserted = await store.transaction((tx) => tx.insertUser(user));
    expect(inserted).toEqual({ ...user, passwordHash: undefined, isActive: true });
    expect(await store.findUsers([user.id, randomUUID(), 'not-a-uuid'])).toEqual([inserted]);
    expect(await store.findCredentialsByEmail('ada@example.com')).toEqual({
      user: inserted,
      passwordHash: 'hash',
    });
    expect(await store.findCredentialsByEmail('nobody@example.com')).toBeUndefined();
    await expect(store.transaction((tx) => tx.insertUser(newUser('ada@example.com')))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const updated = await store.transaction((tx) =>
      tx.updateUser(user.id, { firstName: 'Ada', phone: '555' }),
    );
    expect(updated).toMatchObject({ firstName: 'Ada', phone: '555', lastName: 'Last' });
    expect(await store.transaction((tx) => tx.lockUser(user.id))).toEqual(updated);
  });

  it('keeps addresses oldest first with at most one default per user', async () => {
    const user = newUser('addresses@example.com');
    await store.transaction((tx) => tx.insertUser(user));
    const first = address(user.id, 1, true);
    const second = address(user.id, 2, true);
    await store.transaction((tx) => tx.insertAddress(first));
    await expect(store.transaction((tx) => tx.insertAddress(second))).rejects.toThrow();
    await store.transaction(async (tx) => {
      expect(await tx.countAddresses(user.id)).toBe(1);
      await tx.clearDefaultAddress(user.id);
      await tx.insertAddress(second);
    });
    expect(await store.findAddresses([user.id])).toEqual([{ ...first, isDefault: false }, second]);
  });

  it('rotates refresh tokens: reads one, marks it used, revokes the rest of its family', async () => {
    const user = newUser('tokens@example.com');
    await store.transaction((tx) => tx.insertUser(user));
    const familyId = randomUUID();
    const token = (minute: number) => ({
      id: randomUUID(),
      userId: user.id,
      tokenHash: 'a'.repeat(64),
      familyId,
      expiresAt: at(minute + 60),
      usedAt: null,
      revokedAt: null,
    });
    const [first, second] = [token(1), token(2)];
    await store.transaction(async (tx) => {
      await tx.insertRefreshToken(first);
      await tx.insertRefreshToken(second);
      await tx.revokeRefreshTokenFamily(randomUUID(), at(9));
    });
    expect(await store.transaction((tx) => tx.lockRefreshToken(first.id))).toEqual(first);
    await store.transaction(async (tx) => {
      await tx.markRefreshTokenUsed(first.id, at(3));
      await tx.revokeRefreshTokenFamily(familyId, at(4));
      await tx.revokeRefreshTokenFamily(familyId, at(5));
    });
    expect(await store.transaction((tx) => tx.lockRefreshToken(first.id))).toEqual({
      ...first,
      usedAt: at(3),
      revokedAt: at(4),
    });
    expect((await store.transaction((tx) => tx.lockRefreshToken(second.id)))?.revokedAt).toEqual(at(4));
    expect(await store.transaction((tx) => tx.lockRefreshToken('not-a-uuid'))).toBeUndefined();
  });

  it('replaces a password hash only while it is the current one', async () => {
    const user = newUser('rehash@example.com');
    await store.transaction((tx) => tx.insertUser(user));
    expect(await store.transaction((tx) => tx.replacePasswordHash(user.id, 'stale', 'lost'))).toBe(false);
    expect(await store.transaction((tx) => tx.replacePasswordHash(user.id, 'hash', 'next'))).toBe(true);
    expect((await store.findCredentialsByEmail(user.email))?.passwordHash).toBe('next');
    expect(await store.transaction((tx) => tx.replacePasswordHash(user.id, 'hash', 'again'))).toBe(false);
    expect((await store.findCredentialsByEmail(user.email))?.passwordHash).toBe('next');
  });

  it("revokes every refresh token of one user, and only that user's", async () => {
    const [owner, other] = [newUser('owner@example.com'), newUser('other@example.com')];
    const token = (userId: string, revokedAt: Date | null) => ({
      id: randomUUID(),
      userId,
      tokenHash: 'b'.repeat(64),
      familyId: randomUUID(),
      expiresAt: at(90),
      usedAt: null,
      revokedAt,
    });
    const [first, second, earlier, kept] = [
      token(owner.id, null),
      token(owner.id, null),
      token(owner.id, at(1)),
      token(other.id, null),
    ];
    await store.transaction(async (tx) => {
      await tx.insertUser(owner);
      await tx.insertUser(other);
      for (const record of [first, second, earlier, kept]) await tx.insertRefreshToken(record);
    });
    await store.transaction((tx) => tx.revokeRefreshTokensOfUser(owner.id, at(7)));
    const revokedAt = (id: string) =>
      store.transaction(async (tx) => (await tx.lockRefreshToken(id))?.revokedAt);
    expect(await revokedAt(first.id)).toEqual(at(7));
    expect(await revokedAt(second.id)).toEqual(at(7));
    expect(await revokedAt(earlier.id)).toEqual(at(1));
    expect(await revokedAt(kept.id)).toBeNull();
  });

  it('commits a user and its events together, or neither', async () => {
    const event = (key: string) => ({
      topic: 'user.created' as const,
      key,
      envelope: createEnvelope(
        'user.created',
        { userId: key, email: `${key}@example.com`, firstName: 'F', lastName: 'L', role: 'CUSTOMER' },
        { source: 'test', correlationId: randomUUID() },
      ),
    });
    const kept = newUser('kept@example.com');
    await store.transaction(async (tx) => {
      await tx.insertUser(kept);
      await tx.enqueue([event(kept.id)]);
    });
    const lost = newUser('lost@example.com');
    await expect(
      store.transaction(async (tx) => {
        await tx.insertUser(lost);
        await tx.enqueue([event(lost.id)]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await store.findUsers([lost.id])).toEqual([]);
    const published: OutboxRecord[] = [];
    await subject.outbox.claim(100, (records) => {
      published.push(...records);
      return Promise.resolve(records);
    });
    expect(published.map((record) => record.key)).toEqual([kept.id]);
  });
});

describe('embedded users database', () => {
  it('keeps users across a restart: write, close, reopen, read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'users-embedded-'));
    try {
      const file = join(dir, 'users.sqlite');
      const first = await createEmbeddedUsersDataSource(file).initialize();
      const user = newUser('persist@example.com');
      await new TypeormUserStore(first).transaction((tx) => tx.insertUser(user));
      await first.destroy();

      const reopened = await createEmbeddedUsersDataSource(file).initialize();
      expect(await new TypeormUserStore(reopened).findCredentialsByEmail(user.email)).toMatchObject({
        user: { id: user.id, createdAt: user.createdAt },
      });
      await reopened.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
