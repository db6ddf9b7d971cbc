import { describe, expect, it } from 'vitest';
import { legacyHash } from '../../../../test/fixtures/legacy-password-hash.js';
import { hashPassword, needsRehash, verifyPassword } from './password.js';

// scrypt at N=2^17 takes about 0.4 s per hash on an idle core, several times that on a busy machine.
describe('password hashing', { timeout: 30_000 }, () => {
  it('verifies the password it hashed and refuses another', async () => {
    const stored = await hashPassword('secret123');
    expect(await verifyPassword('secret123', stored)).toBe(true);
    expect(await verifyPassword('secret124', stored)).toBe(false);
  });

  it("stores OWASP's scrypt parameters (N=2^17, r=8, p=1), a 16-byte salt and the hash, never the password", async () => {
    const stored = await hashPassword('secret123');
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '131072', '8', '1']);
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(hash ?? '', 'base64')).toHaveLength(64);
    expect(stored).not.toContain('secret123');
  });

  it('salts every hash: the same password hashes differently each time', async () => {
    expect(await hashPassword('secret123')).not.toBe(await hashPassword('secret123'));
  });

  it('never matches a malformed or absurdly expensive stored hash', async () => {
    expect(await verifyPassword('secret123', '')).toBe(false);
    expect(await verifyPassword('secret123', 'plaintext')).toBe(false);
    expect(await verifyPassword('secret123', 'scrypt$1073741824$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==')).toBe(
      false,
    );
  });

  it('verifies a hash made at an older cost, and tells it needs hashing again', async () => {
    const old = legacyHash('secret123');
    expect(old.split('$').slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
    expect(await verifyPassword('secret123', old)).toBe(true);
    expect(await verifyPassword('secret124', old)).toBe(false);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword('secret123'))).toBe(false);
    expect(needsRehash('plaintext')).toBe(true);
  });
});
