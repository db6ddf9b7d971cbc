import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, signAccessToken, verifyAccessToken, viewerFromAuthorization } from './tokens.js';

const keys = generateKeyPair();
const other = generateKeyPair();
const viewer = { userId: 'u1', email: 'a@example.com', role: 'CUSTOMER' as const };

describe('access tokens', () => {
  it('round-trips the viewer through an RS256 token', () => {
    const token = signAccessToken(viewer, keys.privateKey, 60);
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe('RS256');
    expect(verifyAccessToken(token, keys.publicKey)).toEqual(viewer);
  });

  it('refuses a token signed by another key, an expired one, and an HS256 one', () => {
    expect(() => verifyAccessToken(signAccessToken(viewer, other.privateKey, 60), keys.publicKey)).toThrow(
      /Invalid/,
    );
    expect(() => verifyAccessToken(signAccessToken(viewer, keys.privateKey, -1), keys.publicKey)).toThrow(
      /expired/,
    );
    const hs = jwt.sign({ sub: 'u1', email: 'x', role: 'ADMIN', typ: 'access' }, 'secret');
    expect(() => verifyAccessToken(hs, keys.publicKey)).toThrow(/Invalid/);
  });

  it('an Authorization header gives a viewer, nothing, or the reason it was refused', () => {
    const token = signAccessToken(viewer, keys.privateKey, 60);
    expect(viewerFromAuthorization(`Bearer ${token}`, keys.publicKey).viewer).toEqual(viewer);
    expect(viewerFromAuthorization(undefined, keys.publicKey)).toEqual({ viewer: null, authError: null });
    expect(viewerFromAuthorization('Bearer junk', keys.publicKey).authError?.code).toBe('UNAUTHENTICATED');
    expect(viewerFromAuthorization('Basic abc', keys.publicKey).authError?.message).toMatch(/Bearer/);
  });
});
