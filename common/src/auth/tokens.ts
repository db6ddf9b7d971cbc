import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError, unauthenticated } from '../errors.js';

export type Role = 'ADMIN' | 'CUSTOMER';

/** Who makes a request: the verified claims of an access token. */
export interface Viewer {
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
}

const issuer = 'commerce-supergraph';

/** Signs a short-lived RS256 access token. */
export function signAccessToken(viewer: Viewer, privateKey: string, ttlSeconds: number): string {
  return jwt.sign({ email: viewer.email, role: viewer.role, typ: 'access' }, privateKey, {
    algorithm: 'RS256',
    subject: viewer.userId,
    issuer,
    expiresIn: ttlSeconds,
  });
}

/** Verifies an access token with the public key; throws UNAUTHENTICATED when it is not valid. */
export function verifyAccessToken(token: string, publicKey: string): Viewer {
  let claims: unknown;
  try {
    claims = jwt.verify(token, publicKey, { algorithms: ['RS256'], issuer });
  } catch (error) {
    const expired = error instanceof jwt.TokenExpiredError;
    throw unauthenticated(expired ? 'Access token expired' : 'Invalid access token');
  }
  return parseClaims(claims);
}

/** Seconds until the token expires, or 0 when it has no expiry claim we can read. */
export function secondsUntilExpiry(token: string, now = Date.now()): number {
  const decoded: unknown = jwt.decode(token);
  if (!isRecord(decoded) || typeof decoded['exp'] !== 'number') return 0;
  return Math.max(0, decoded['exp'] - now / 1000);
}

/**
 * The viewer of a request from its Authorization header. No header: anonymous (null viewer).
 * A header with a bad token: anonymous plus the error, which resolvers needing a viewer raise.
 */
export function viewerFromAuthorization(
  header: string | undefined | null,
  publicKey: string,
): { viewer: Viewer | null; authError: AppError | null } {
  if (!header) return { viewer: null, authError: null };
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match?.[1])
    return { viewer: null, authError: unauthenticated('Authorization must be "Bearer <token>"') };
  try {
    return { viewer: verifyAccessToken(match[1], publicKey), authError: null };
  } catch (error) {
    return { viewer: null, authError: error instanceof AppError ? error : unauthenticated() };
  }
}

/** A fresh RS256 key pair (tests, and the embedded mode's first start). */
export function generateKeyPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

function parseClaims(claims: unknown): Viewer {
  if (!isRecord(claims)) throw unauthenticated('Invalid access token');
  const { sub, email, role, typ } = claims;
  if (
    typeof sub !== 'string' ||
    typeof email !== 'string' ||
    typ !== 'access' ||
    (role !== 'ADMIN' && role !== 'CUSTOMER')
  ) {
    throw unauthenticated('Invalid access token');
  }
  return { userId: sub, email, role };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
