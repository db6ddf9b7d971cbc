import type { IncomingMessage } from 'node:http';
import { viewerFromAuthorization, type AuthContext } from '../auth/index.js';
import type { Logger } from '../logger.js';

/** What every subgraph's request context starts from. */
export interface RequestContext extends AuthContext {
  readonly correlationId: string;
  readonly logger: Logger;
}

/** Verifies the request's own token: a subgraph reached directly is no way around auth. */
export function baseContext(
  request: IncomingMessage,
  correlationId: string,
  publicKey: string,
  logger: Logger,
): RequestContext {
  const { viewer, authError } = viewerFromAuthorization(request.headers.authorization, publicKey);
  return { viewer, authError, correlationId, logger: logger.child({ correlationId }) };
}
