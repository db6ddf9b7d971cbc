import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { isUuid } from '@commerce/common/events';

/** A refresh token as handed to the client: `<id>.<secret>`; only its hash is stored. */
export interface IssuedRefreshToken {
  readonly id: string;
  readonly token: string;
  readonly tokenHash: string;
}

const secretPattern = /^[A-Za-z0-9_-]{43}$/;

/** A new opaque refresh token: a row id and 256 random bits. */
export function newRefreshToken(): IssuedRefreshToken {
  const id = randomUUID();
  const token = `${id}.${randomBytes(32).toString('base64url')}`;
  return { id, token, tokenHash: hashRefreshToken(token) };
}

/** The row id of a well-formed refresh token, or undefined for anything else. */
export function parseRefreshToken(token: string): { id: string } | undefined {
  const dot = token.indexOf('.');
  if (dot < 0) return undefined;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  // Issued ids are lower-case (randomUUID): an id in another case is no token of ours.
  return isUuid(id) && id === id.toLowerCase() && secretPattern.test(secret) ? { id } : undefined;
}

/** SHA-256 (hex) of the token: the secret has 256 random bits, so a fast hash is enough. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Compares a presented token with a stored hash in constant time. */
export function refreshTokenMatches(token: string, storedHash: string): boolean {
  const actual = Buffer.from(hashRefreshToken(token), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
