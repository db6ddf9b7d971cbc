import type { IncomingMessage } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { formatError } from '../errors.js';
import type { Logger } from '../logger.js';
import { closeServer, createGraphqlHttpServer, listen, type HealthReport } from './http.js';

/** A subgraph listening on HTTP. `close` stops what the subgraph started, not the clients it was given. */
export interface RunningSubgraph {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  health(): Promise<HealthReport>;
  close(): Promise<void>;
}

export interface ServeSubgraphOptions<C extends BaseContext> {
  readonly name: string;
  readonly schema: GraphQLSchema;
  readonly context: (request: IncomingMessage, correlationId: string) => Promise<C>;
  readonly logger: Logger;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly health?: () => Promise<HealthReport>;
  /** Stops consumers and relays; runs after the HTTP server has closed. */
  readonly onClose?: () => Promise<void>;
}

/** Serves a subgraph schema with the project's error formatting at http://host:port/graphql. */
export async function serveSubgraph<C extends BaseContext>(
  options: ServeSubgraphOptions<C>,
): Promise<RunningSubgraph> {
  const apollo = new ApolloServer<C>({
    schema: options.schema,
    logger: options.logger,
    formatError,
    includeStacktraceInErrorResponses: false,
    // main.ts owns signals and closes in order; Apollo's own handler would re-raise SIGTERM first.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const health = options.health ?? (() => Promise.resolve({ status: 'ok' as const, checks: {} }));
  const server = createGraphqlHttpServer({
    apollo,
    context: options.context,
    health,
    logger: options.logger,
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  const url = `http://${host}:${port}/graphql`;
  options.logger.info({ url }, `${options.name} subgraph ready`);
  return {
    name: options.name,
    url,
    port,
    health,
    async close() {
      await closeServer(server);
      await apollo.stop();
      await options.onClose?.();
    },
  };
}
