import { secondsUntilExpiry, viewerFromAuthorization, type Viewer } from '@commerce/common/auth';

/**
 * The Authorization value a client sends in graphql-ws `connection_init`, either as
 * `{ authorization: 'Bearer <token>' }` (also `Authorization`, as an HTTP header would be spelled)
 * or as `{ token: '<token>' }`. Undefined when the client sends none (an anonymous connection).
 */
export function authorizationFromConnectionParams(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const record = params as Record<string, unknown>;
  const header = record['authorization'] ?? record['Authorization'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  const token = record['token'];
  if (typeof token === 'string' && token.trim() !== '') return `Bearer ${token.trim()}`;
  return undefined;
}

/** Who holds a connection: anonymous, a verified viewer with the token's expiry, or refused. */
export type ConnectionAuth =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'viewer';
      readonly viewer: Viewer;
      readonly authorization: string;
      /** Milliseconds until the token expires. */
      readonly expiresInMs: number;
    }
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * Verifies the connection's token. A token that is sent but does not verify (malformed, expired,
 * signed by another key) refuses the connection, as the gateway refuses such an HTTP request.
 */
export function authenticateConnection(params: unknown, publicKey: string, now = Date.now()): ConnectionAuth {
  const authorization = authorizationFromConnectionParams(params);
  if (authorization === undefined) return { kind: 'anonymous' };
  const { viewer, authError } = viewerFromAuthorization(authorization, publicKey);
  if (authError || viewer === null) return { kind: 'refused', reason: authError?.message ?? 'Unauthorized' };
  const token = authorization.replace(/^Bearer\s+/i, '');
  return { kind: 'viewer', viewer, authorization, expiresInMs: secondsUntilExpiry(token, now) * 1000 };
}
