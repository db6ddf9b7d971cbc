import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('verifies the password it hashed and refuses another', async () => {
    const stored = await hashPassword('secret123');
    expect(await verifyPassword('secret123', stored)).toBe(true);
    expect(await verifyPassword('secret124', stored)).toBe(false);
  });

  it('stores scrypt parameters, a 16-byte salt and the hash, never the password', async () => {
    const stored = await hashPassword('secret123');
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '32768', '8', '1']);
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
});
