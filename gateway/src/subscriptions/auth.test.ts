import { generateKeyPair, signAccessToken } from '@commerce/common/auth';
import { describe, expect, it } from 'vitest';
import { authenticateConnection, authorizationFromConnectionParams } from './auth.js';

const keys = generateKeyPair();
const viewer = { userId: 'u1', email: 'u1@example.com', role: 'CUSTOMER' as const };

describe('authorizationFromConnectionParams', () => {
  it('accepts { authorization: "Bearer <token>" } in either spelling, and { token }', () => {
    expect(authorizationFromConnectionParams({ authorization: 'Bearer abc' })).toBe('Bearer abc');
    expect(authorizationFromConnectionParams({ Authorization: ' Bearer abc ' })).toBe('Bearer abc');
    expect(authorizationFromConnectionParams({ token: 'abc' })).toBe('Bearer abc');
  });

  it('treats no payload, or one without a token, as anonymous', () => {
    for (const params of [undefined, null, {}, { token: '' }, { authorization: 42 }]) {
      expect(authorizationFromConnectionParams(params)).toBeUndefined();
    }
  });
});

describe('authenticateConnection', () => {
  it('verifies the token and reports when it expires', () => {
    const token = signAccessToken(viewer, keys.privateKey, 60);
    const auth = authenticateConnection({ token }, keys.publicKey);
    expect(auth).toMatchObject({ kind: 'viewer', viewer, authorization: `Bearer ${token}` });
    if (auth.kind !== 'viewer') throw new Error('expected a viewer');
    expect(auth.expiresInMs).toBeGreaterThan(55_000);
    expect(auth.expiresInMs).toBeLessThanOrEqual(60_000);
  });

  it('refuses a token signed with another key, and an expired one, naming why', () => {
    const forged = signAccessToken(viewer, generateKeyPair().privateKey, 60);
    expect(authenticateConnection({ token: forged }, keys.publicKey)).toEqual({
      kind: 'refused',
      reason: 'Invalid access token',
    });
    const expired = signAccessToken(viewer, keys.privateKey, -10);
    expect(authenticateConnection({ token: expired }, keys.publicKey)).toEqual({
      kind: 'refused',
      reason: 'Access token expired',
    });
  });

  it('lets a connection without a token in, anonymously', () => {
    expect(authenticateConnection({}, keys.publicKey)).toEqual({ kind: 'anonymous' });
  });
});
