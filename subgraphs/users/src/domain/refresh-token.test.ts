import { describe, expect, it } from 'vitest';
import {
  hashRefreshToken,
  newRefreshToken,
  parseRefreshToken,
  refreshTokenMatches,
} from './refresh-token.js';

describe('refresh tokens', () => {
  it('are "<id>.<secret>" and parse back to their row id', () => {
    const issued = newRefreshToken();
    expect(issued.token.startsWith(`${issued.id}.`)).toBe(true);
    expect(parseRefreshToken(issued.token)).toEqual({ id: issued.id });
  });

  it('are stored as a SHA-256 hash, never as the token', () => {
    const issued = newRefreshToken();
    expect(issued.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(issued.tokenHash).toBe(hashRefreshToken(issued.token));
    expect(issued.tokenHash).not.toContain(issued.token.split('.')[1]);
  });

  it('match only their own hash', () => {
    const one = newRefreshToken();
    const two = newRefreshToken();
    expect(refreshTokenMatches(one.token, one.tokenHash)).toBe(true);
    expect(refreshTokenMatches(two.token, one.tokenHash)).toBe(false);
    expect(refreshTokenMatches(one.token, 'not-hex')).toBe(false);
  });

  it.each([
    '',
    'abc',
    'not-a-uuid.secret',
    `${crypto.randomUUID()}`,
    `${crypto.randomUUID()}.short`,
    `${crypto.randomUUID()}.${'a'.repeat(43)}.x`,
  ])('refuse the malformed token %j', (token) => {
    expect(parseRefreshToken(token)).toBeUndefined();
  });
});
