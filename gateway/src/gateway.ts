import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { TopicLog } from '@commerce/common/events';
import { formatError } from '@commerce/common/errors';
import type { Logger } from '@commerce/common/logger';
import {
  closeServer,
  createGraphqlHttpServer,
  HttpRequestMetrics,
  listen,
  metricsRoute,
  type GraphqlHttpOptions,
} from '@commerce/common/server';
import { contextFromRequest, type GatewayContext } from './context.js';
import { apolloOperationLimits } from './limits/apollo.js';
import { operationLimiter } from './limits/operation-limiter.js';
import type { OperationLimitsSetting } from './limits/operation-limits.js';
import { SubgraphDataSource, subgraphUrl, type SubgraphUrls } from './data-source.js';
import { apolloExposure, developmentExposure, type GatewayExposure } from './exposure.js';
import { EntityCache, type EntityCacheOptions } from './entity-cache/entity-cache.js';
import { createKeepAliveFetcher } from './fetcher.js';
import { handledBy, playgroundRoutes } from './playground/routes.js';
import { openRateLimits, type RateLimitOptions } from './rate-limits/rate-limits.js';
import { UnavailableSubscriptionsDataSource } from './subscriptions/unavailable-data-source.js';
import type { BacklogLimits } from './subscriptions/backlog.js';
import { startSubscriptionService, type SubscriptionService } from './subscriptions/service.js';
import type { TrustedDocumentsConfig } from './trusted-documents/config.js';
import { withTrustedDocuments } from './trusted-documents/http.js';
import { TrustedDocuments } from './trusted-documents/trusted-documents.js';
import { Registry } from 'prom-client';

export type { GatewayContext } from './context.js';
export type { SubgraphUrls } from './data-source.js';
export { loadGatewayConfig, urlVariable, type GatewayConfig } from './config.js';
export { readGatewayExposure, type GatewayExposure, type MetricsAccess } from './exposure.js';
export type { SubscriptionService } from './subscriptions/service.js';
export { SubscriptionCloseCode } from './subscriptions/connections.js';
// The gateway's Prometheus metrics, for the dashboard's test (test/compose).
export { SubscriptionMetrics } from './subscriptions/metrics.js';
export { RateLimitMetrics } from './rate-limits/metrics.js';
export { loadRateLimitConfig } from './rate-limits/config.js';
export type { RateLimitOptions } from './rate-limits/rate-limits.js';
export type { RateLimitSettings, Rate } from './rate-limits/settings.js';
export * from './trusted-documents/config.js';
export { readOperationLimits } from './limits/config.js';
export { OperationLimiter } from './limits/operation-limiter.js';
export { EntityCache, type EntityCacheOptions } from './entity-cache/entity-cache.js';
export { readEntityCache } from './entity-cache/config.js';
export {
  defaultOperationLimits,
  operationLimitCode,
  type OperationLimits,
  type OperationLimitsSetting,
} from './limits/operation-limits.js';

/** Live subscriptions (graphql-ws on the same /graphql URL), fed by the subscription topics. */
export interface GatewaySubscriptionOptions {
  /** Where the subscription topics are read from by position (KafkaTopicLog in production). */
  readonly log: TopicLog;
  /** This instance's id in logs. Default: random per process. */
  readonly instanceId?: string;
  /** WebSocket ping interval (default 12 000 ms). */
  readonly keepAliveMs?: number;
  /** How far a slow subscriber may fall behind before it is coalesced, then closed. */
  readonly limits?: Partial<BacklogLimits>;
}

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
  /** Serve subscriptions over WebSocket; without this option the gateway serves HTTP only. */
  readonly subscriptions?: GatewaySubscriptionOptions;
  /** Rate limits and WebSocket caps (always on): the defaults in memory unless given otherwise. */
  readonly rateLimits?: RateLimitOptions;
  /** Introspection, suggestions and /metrics (default: all open, as on a developer's machine). */
  readonly exposure?: GatewayExposure;
  /** Which documents run, by id or by text (HTTP and WebSocket alike); default mode off. */
  readonly trustedDocuments?: TrustedDocumentsConfig | undefined;
  /** Depth, aliases, tokens, directives and cost, over HTTP and WebSocket; default `defaultOperationLimits`. */
  readonly operationLimits?: OperationLimitsSetting;
  /**
   * Identical query fetches to a subgraph in flight at the same time (same document, variables and
   * Authorization header) are sent once and the answer shared (default true). Never mutations.
   */
  readonly deduplicateFetches?: boolean;
  /**
   * Public entity results cached, invalidated by the events read from `subscriptions.log`; off when
   * omitted (`npm start` and the gateway service pass ENTITY_CACHE, on by default).
   */
  readonly entityCache?: EntityCacheOptions | undefined;
}

/** The gateway listening on HTTP at `url` (…/graphql). */
export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  /** GET /metrics (Prometheus text, this gateway's own registry). */
  readonly metricsUrl: string;
  /** The subscription service, when `subscriptions` was given. */
  readonly subscriptions: SubscriptionService | undefined;
  /** The entity cache (passing through when off). */
  readonly entityCache: EntityCache;
  /** Stops HTTP, the gateway and its pooled subgraph connections. */
  close(): Promise<void>;
}

/**
 * Starts the Apollo Gateway on the static supergraph: POST /graphql (queries and mutations),
 * GET /health, and the GraphiQL playground for browsers (GET / and GET /graphql). It verifies the
 * client's token, fails requests carrying a bad one with UNAUTHENTICATED, and forwards the token
 * and correlation id to every subgraph call.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = options.logger.child({ component: 'gateway' });
  const registry = new Registry();
  const rateLimits = await openRateLimits(options.rateLimits ?? {}, registry, options.logger);
  const exposure = options.exposure ?? developmentExposure;
  const trustedDocuments = TrustedDocuments.load(options.trustedDocuments ?? { mode: 'off' }, logger);
  const fetcher = createKeepAliveFetcher();
  const entityCache = new EntityCache(options.entityCache, options.subscriptions?.log, registry, logger);
  const subgraphSource = (name: string, url: string | undefined): SubgraphDataSource =>
    new SubgraphDataSource({
      name,
      url: subgraphUrl(name, options.subgraphUrls, url),
      fetcher: fetcher.fetch,
      logger,
      deduplicate: options.deduplicateFetches ?? true,
    });
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger,
    buildService: ({ name, url }): GraphQLDataSource =>
      name === 'subscriptions'
        ? new UnavailableSubscriptionsDataSource()
        : entityCache.wrap(name, subgraphSource(name, url)),
  });
  const limiter = operationLimiter(options.operationLimits);
  const limits = apolloOperationLimits<GatewayContext>(limiter, formatError);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Limits name the limit a refused operation broke; exposure then hides suggestions when asked.
    ...apolloExposure(exposure, limits.formatError),
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    includeStacktraceInErrorResponses: false,
    // The process owns shutdown: close() stops Apollo in order with HTTP and the fetcher.
    stopOnTerminationSignals: false,
    logger,
    // Browsers get our own offline playground (playground/), never Apollo's CDN-hosted landing page.
    plugins: [ApolloServerPluginLandingPageDisabled(), rateLimits.http.plugin(), limits.plugin],
  });
  try {
    await apollo.start();
  } catch (error) {
    fetcher.close();
    await rateLimits.close();
    throw error;
  }
  const graphqlHttp: GraphqlHttpOptions<GatewayContext> = {
    apollo: withTrustedDocuments(apollo, trustedDocuments),
    logger,
    context: rateLimits.http.contextWith((request, correlationId) =>
      Promise.resolve(contextFromRequest(request, correlationId, options.jwtPublicKey, logger)),
    ),
    health: () => Promise.resolve({ status: 'ok', checks: { gateway: 'ok' } }),
    metrics: new HttpRequestMetrics(registry),
  };
  const server = createGraphqlHttpServer({
    ...graphqlHttp,
    routes: {
      '/metrics': metricsRoute(registry, exposure.metrics),
      // Browsers get the playground at / and GET /graphql; other GET /graphql reach Apollo as before.
      ...playgroundRoutes({ graphql: handledBy(createGraphqlHttpServer(graphqlHttp)), logger }),
    },
  });
  const host = options.host ?? '127.0.0.1';
  let subscriptions: SubscriptionService | undefined;
  let port: number;
  try {
    await entityCache.start();
    if (options.subscriptions) {
      subscriptions = await startSubscriptionService({
        ...options.subscriptions,
        server,
        supergraphSdl: options.supergraphSdl,
        // Deduplication, and the entity cache wherever the event being answered cannot be newer.
        dataSource: (name, url, liveTopics) =>
          entityCache.wrapForEvents(name, subgraphSource(name, url), liveTopics),
        jwtPublicKey: options.jwtPublicKey,
        // Not `logger`: the service names its own component, and pino would print the key twice.
        logger: options.logger,
        registry,
        guard: rateLimits.sockets,
        introspection: exposure.introspection,
        trustedDocuments,
        operationLimiter: limiter,
      });
    }
    port = await listen(server, options.port ?? 0, host);
  } catch (error) {
    await subscriptions?.close();
    await entityCache.close();
    await apollo.stop();
    fetcher.close();
    await rateLimits.close();
    throw error;
  }
  const url = `http://${host}:${port}/graphql`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    metricsUrl: `http://${host}:${port}/metrics`,
    subscriptions,
    entityCache,
    close() {
      closing ??= (async () => {
        // Open WebSockets would hold the HTTP server open: complete the subscriptions first.
        await subscriptions?.close();
        await closeServer(server);
        await entityCache.close();
        await apollo.stop();
        fetcher.close();
        await rateLimits.close();
      })();
      return closing;
    },
  };
}
