import { ApolloServer, type BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { Registry } from 'prom-client';
import { formatError } from '../errors.js';
import type { ConsumerHealth } from '../events/consumer-health.js';
import { registerOutboxMetrics } from '../events/outbox-metrics.js';
import type { OutboxRelay } from '../events/outbox-relay.js';
import type { Logger } from '../logger.js';
import { baseContext, type RequestContext } from './context.js';
import { closeServer, createGraphqlHttpServer, listen, type HealthReport } from './http.js';
import { HttpRequestMetrics } from './http-metrics.js';
import { metricsRoute } from './metrics-route.js';

/** A subgraph listening on HTTP. `close` stops what the subgraph started, not the clients it was given. */
export interface RunningSubgraph {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  health(): Promise<HealthReport>;
  /** How many events its outbox holds that are not yet published. */
  pendingEvents(): Promise<number>;
  close(): Promise<void>;
}

export interface ServeSubgraphOptions<C extends BaseContext> {
  /** The subgraph's name: its log lines and the `source` of the events its requests cause. */
  readonly name: string;
  readonly schema: GraphQLSchema;
  /** Verifies each request's access token (PEM, RS256). */
  readonly publicKey: string;
  /** Each request's context: the verified viewer, correlation and event origin, plus the subgraph's own. */
  readonly context: (base: RequestContext) => C;
  /** Started by the caller; stopped by `close()` after the HTTP server and `onClose`. */
  readonly relay: OutboxRelay;
  readonly logger: Logger;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly health?: () => Promise<HealthReport>;
  /**
   * The monitor its event consumers report to: health gains a `consumers` check (degraded while a
   * message is being retried) and GET /metrics serves its registry.
   */
  readonly consumers?: ConsumerHealth;
  /** Stops the consumers; runs after the HTTP server has closed, before the relay stops. */
  readonly onClose?: () => Promise<void>;
}

/**
 * Serves a subgraph schema with the project's error formatting at http://host:port/graphql, its
 * health at /health and its metrics (Prometheus text) at /metrics.
 * On a failed start the relay is stopped and `onClose` runs, so the caller has nothing to undo.
 */
export async function serveSubgraph<C extends BaseContext>(
  options: ServeSubgraphOptions<C>,
): Promise<RunningSubgraph> {
  const { name, logger, relay } = options;
  const stopWorkers = async (): Promise<void> => {
    try {
      await options.onClose?.();
    } finally {
      await relay.stop();
    }
  };
  try {
    const apollo = new ApolloServer<C>({
      schema: options.schema,
      logger,
      formatError,
      includeStacktraceInErrorResponses: false,
      // The process owns signals and closes in order; Apollo's own handler would re-raise SIGTERM first.
      stopOnTerminationSignals: false,
    });
    await apollo.start();
    const health = withConsumers(
      options.health ?? (() => Promise.resolve({ status: 'ok' as const, checks: {} })),
      options.consumers,
    );
    const settings = { source: name, publicKey: options.publicKey, logger };
    // GET /metrics: its consumers' retries and dead letters, its outbox backlog and its requests.
    const registry = new Registry();
    registerOutboxMetrics(registry, relay);
    const metrics = new HttpRequestMetrics(registry);
    const exported = options.consumers ? Registry.merge([options.consumers.registry, registry]) : registry;
    const server = createGraphqlHttpServer({
      apollo,
      context: (request, correlationId) =>
        Promise.resolve(options.context(baseContext(request, correlationId, settings))),
      health,
      logger,
      metrics,
      routes: { '/metrics': metricsRoute(exported) },
    });
    const host = options.host ?? '127.0.0.1';
    const port = await listen(server, options.port ?? 0, host).catch(async (error: unknown) => {
      await apollo.stop();
      throw error;
    });
    const url = `http://${host}:${port}/graphql`;
    logger.info({ url }, `${name} subgraph ready`);
    return {
      name,
      url,
      port,
      health,
      pendingEvents: () => relay.pendingCount(),
      async close() {
        await closeServer(server);
        await apollo.stop();
        await stopWorkers();
      },
    };
  } catch (error) {
    await stopWorkers();
    throw error;
  }
}

/** The subgraph's own health, with its consumers' check added. */
function withConsumers(
  health: () => Promise<HealthReport>,
  consumers: ConsumerHealth | undefined,
): () => Promise<HealthReport> {
  if (!consumers) return health;
  return async () => {
    const report = await health();
    const check = consumers.status;
    const retrying = consumers.retryingMessages();
    return {
      status: report.status === 'ok' ? check : report.status,
      checks: { ...report.checks, consumers: check },
      ...(retrying.length > 0 ? { retrying } : {}),
    };
  };
}
