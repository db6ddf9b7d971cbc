import type { IncomingMessage } from 'node:http';
import { viewerFromAuthorization, type Viewer } from '@commerce/common/auth';
import type { Logger } from '@commerce/common/logger';
import { GraphQLError } from 'graphql';

/** The gateway's request context: what it forwards to the subgraphs, and who asks. */
export interface GatewayContext {
  /** The Authorization header as received; forwarded so that every subgraph verifies it again. */
  readonly authorization: string | undefined;
  readonly correlationId: string;
  readonly viewer: Viewer | null;
  readonly logger: Logger;
}

/**
 * Builds the context of one request. A token that is sent but does not verify fails the whole
 * request with UNAUTHENTICATED (HTTP 401) before any subgraph is called; no header is anonymous.
 */
export function gatewayContext(
  authorization: string | undefined,
  correlationId: string,
  publicKey: string,
  logger: Logger,
): GatewayContext {
  const { viewer, authError } = viewerFromAuthorization(authorization, publicKey);
  if (authError) {
    throw new GraphQLError(authError.message, {
      originalError: authError,
      extensions: { code: authError.code, http: { status: 401 } },
    });
  }
  return { authorization, correlationId, viewer, logger: logger.child({ correlationId }) };
}

/** `gatewayContext` from a node:http request. */
export function contextFromRequest(
  request: IncomingMessage,
  correlationId: string,
  publicKey: string,
  logger: Logger,
): GatewayContext {
  return gatewayContext(request.headers.authorization, correlationId, publicKey, logger);
}

/** The headers a subgraph call carries on behalf of the client's request. */
export function forwardedHeaders(
  context: Pick<GatewayContext, 'authorization' | 'correlationId'>,
): Record<string, string> {
  const headers: Record<string, string> = { 'x-correlation-id': context.correlationId };
  if (context.authorization) headers['authorization'] = context.authorization;
  return headers;
}
