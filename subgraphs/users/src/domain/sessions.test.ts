import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyHash } from '../../../../test/fixtures/legacy-password-hash.js';
import { needsRehash, verifyPassword } from './password.js';
import { openUseCases, type UseCases } from './use-cases.fixture.js';

let subject: UseCases;

beforeAll(async () => {
  subject = await openUseCases();
});

afterAll(async () => {
  await subject?.close();
});

const storedHash = async (email: string): Promise<string> =>
  (await subject.store.findCredentialsByEmail(email))?.passwordHash ?? '';

describe('login and the password hash cost', { timeout: 30_000 }, () => {
  it('upgrades a hash made at an older cost on the next successful login', async () => {
    const old = legacyHash('Password123');
    await subject.insertUser('legacy@example.com', old);

    await subject.sessions.login('legacy@example.com', 'Password123');

    const upgraded = await storedHash('legacy@example.com');
    expect(upgraded).not.toBe(old);
    expect(upgraded.split('$').slice(0, 4)).toEqual(['scrypt', '131072', '8', '1']);
    expect(needsRehash(upgraded)).toBe(false);
    expect(await verifyPassword('Password123', upgraded)).toBe(true);
    // The upgraded hash keeps working, and is not replaced again.
    await subject.sessions.login('legacy@example.com', 'Password123');
    expect(await storedHash('legacy@example.com')).toBe(upgraded);
  });

  it('leaves an old hash alone when the password is wrong', async () => {
    const old = legacyHash('Password123');
    await subject.insertUser('wrong@example.com', old);
    await expect(subject.sessions.login('wrong@example.com', 'Password124')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await storedHash('wrong@example.com')).toBe(old);
  });
});
