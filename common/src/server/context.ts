import type { IncomingMessage } from 'node:http';
import { viewerFromAuthorization, type AuthContext } from '../auth/index.js';
import type { EventOrigin } from '../events/envelope.js';
import { requestOrigin } from '../events/origin.js';
import type { Logger } from '../logger.js';

/** What every subgraph's request context starts from. */
export interface RequestContext extends AuthContext {
  readonly correlationId: string;
  readonly logger: Logger;
  /** The origin of the events this request causes (source: the subgraph). */
  readonly origin: EventOrigin;
}

/** Verifies the request's own token: a subgraph reached directly is no way around auth. */
export function baseContext(
  request: IncomingMessage,
  correlationId: string,
  settings: { readonly source: string; readonly publicKey: string; readonly logger: Logger },
): RequestContext {
  const { viewer, authError } = viewerFromAuthorization(request.headers.authorization, settings.publicKey);
  return {
    viewer,
    authError,
    correlationId,
    logger: settings.logger.child({ correlationId }),
    origin: requestOrigin(settings.source, correlationId),
  };
}
