import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { formatError } from '@commerce/common/errors';
import type { Logger } from '@commerce/common/logger';
import { closeServer, createGraphqlHttpServer, listen } from '@commerce/common/server';
import { contextFromRequest, type GatewayContext } from './context.js';
import { SubgraphDataSource, subgraphUrl, type SubgraphUrls } from './data-source.js';
import { createKeepAliveFetcher } from './fetcher.js';
import { UnavailableSubscriptionsDataSource } from './subscriptions/unavailable-data-source.js';

export type { GatewayContext } from './context.js';
export { subgraphNames, type SubgraphName, type SubgraphUrls } from './data-source.js';

export interface GatewayOptions {
  /** The composed supergraph (schema/supergraph.graphql). */
  readonly supergraphSdl: string;
  /** Where each subgraph listens; a subgraph left out is called at the URL in the supergraph. */
  readonly subgraphUrls: SubgraphUrls;
  /** Verifies access tokens (PEM, RS256). */
  readonly jwtPublicKey: string;
  readonly logger: Logger;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
}

/** The gateway listening on HTTP at `url` (…/graphql). */
export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  /** Stops HTTP, the gateway and its pooled subgraph connections. */
  close(): Promise<void>;
}

/**
 * Starts the Apollo Gateway on the static supergraph: POST /graphql (queries and mutations),
 * GET /health. It verifies the client's token, fails requests carrying a bad one with
 * UNAUTHENTICATED, and forwards the token and correlation id to every subgraph call.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger.child({ component: 'gateway' });
  const fetcher = createKeepAliveFetcher();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger,
    buildService: ({ name, url }): GraphQLDataSource =>
      name === 'subscriptions'
        ? new UnavailableSubscriptionsDataSource()
        : new SubgraphDataSource(name, subgraphUrl(name, options.subgraphUrls, url), fetcher.fetch),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: false,
    // The process (main.ts) owns shutdown: close() stops Apollo in order with HTTP and the fetcher.
    stopOnTerminationSignals: false,
    logger,
  });
  try {
    await apollo.start();
  } catch (error) {
    fetcher.close();
    throw error;
  }
  const server = createGraphqlHttpServer({
    apollo,
    logger,
    context: (request, correlationId) =>
      Promise.resolve(contextFromRequest(request, correlationId, options.jwtPublicKey, logger)),
    health: () => Promise.resolve({ status: 'ok', checks: { gateway: 'ok' } }),
  });
  const host = options.host ?? '127.0.0.1';
  let port: number;
  try {
    port = await listen(server, options.port ?? 0, host);
  } catch (error) {
    await apollo.stop();
    fetcher.close();
    throw error;
  }
  const url = `http://${host}:${port}/graphql`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        await closeServer(server);
        await apollo.stop();
        fetcher.close();
      })();
      return closing;
    },
  };
}
