import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyHash } from '../../../../test/fixtures/legacy-password-hash.js';
import { needsRehash } from './password.js';
import { openUseCases, type UseCases } from './use-cases.fixture.js';

let subject: UseCases;
const origin = { source: 'users', correlationId: randomUUID() };

beforeAll(async () => {
  subject = await openUseCases();
});

afterAll(async () => {
  await subject?.close();
});

describe('seeding the admin', { timeout: 30_000 }, () => {
  it('creates the ADMIN, then finds it unchanged with the same password', async () => {
    const admin = { email: 'Root@Example.com', password: 'First-pass1' };
    expect(await subject.accounts.seedAdmin(admin, origin)).toBe('created');
    expect(await subject.accounts.seedAdmin(admin, origin)).toBe('unchanged');
    expect((await subject.sessions.login('root@example.com', 'First-pass1')).user.role).toBe('ADMIN');
  });

  it('sets a changed ADMIN_PASSWORD on the next start and revokes the sessions of the old one', async () => {
    const email = 'rotate@example.com';
    await subject.accounts.seedAdmin({ email, password: 'Old-pass12' }, origin);
    const before = await subject.sessions.login(email, 'Old-pass12');

    expect(await subject.accounts.seedAdmin({ email, password: 'New-pass34' }, origin)).toBe(
      'password changed',
    );

    expect((await subject.sessions.login(email, 'New-pass34')).user.email).toBe(email);
    await expect(subject.sessions.login(email, 'Old-pass12')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(subject.sessions.refresh(before.refreshToken)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await subject.accounts.seedAdmin({ email, password: 'New-pass34' }, origin)).toBe('unchanged');
  });

  it('upgrades the hash of an admin seeded at an older cost, keeping its password and sessions', async () => {
    const email = 'legacy-admin@example.com';
    await subject.insertUser(email, legacyHash('Legacy-pass1'), 'ADMIN');
    expect(await subject.accounts.seedAdmin({ email, password: 'Legacy-pass1' }, origin)).toBe('unchanged');
    expect(needsRehash((await subject.store.findCredentialsByEmail(email))?.passwordHash ?? '')).toBe(false);
    expect((await subject.sessions.login(email, 'Legacy-pass1')).user.role).toBe('ADMIN');
  });

  it('never changes the password of an account of that email that is not an ADMIN', async () => {
    const customer = await subject.accounts.register(
      { email: 'taken@example.com', password: 'Customer-1', firstName: 'C', lastName: 'U' },
      origin,
    );
    expect(
      await subject.accounts.seedAdmin({ email: 'taken@example.com', password: 'Takeover-1' }, origin),
    ).toBe('not an admin');
    expect((await subject.sessions.login('taken@example.com', 'Customer-1')).user).toMatchObject({
      id: customer.id,
      role: 'CUSTOMER',
    });
  });
});
