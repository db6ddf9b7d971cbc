import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, signAccessToken, type Viewer } from '@commerce/common/auth';
import type { JwtConfig } from '@commerce/common/config';
import {
  InMemoryEventBus,
  InMemoryTopicLog,
  type EventBus,
  type TopicLog,
  type Topics,
} from '@commerce/common/events';
import { createLogger, type Logger } from '@commerce/common/logger';
import type { AdminAccount, OrderPolicy } from '@commerce/common/server';
import {
  startGateway,
  type OperationLimitsSetting,
  type RateLimitOptions,
  type RunningGateway,
  type TrustedDocumentsMode,
} from '@commerce/gateway';
import {
  Closers,
  forEachSubgraph,
  mapSubgraphs,
  openEmbeddedStorage,
  openServerStorage,
  startSubgraphs,
  supergraphSdl,
  type OpenedSubgraphs,
  type RunningSubgraphs,
  type SubgraphName,
} from '@commerce/supergraph';
import type { Kafka } from 'kafkajs';
import { startCountingProxy } from './counting-proxy.js';
import { createTestKafkaBus } from './kafka.js';
import { createMongoDatabase, createPostgresDatabase, uniqueName } from './servers.js';

export interface SupergraphOptions {
  /** Default: the project logger named "e2e" (silent under vitest unless LOG_LEVEL is set). */
  readonly logger?: Logger;
  /** Seeded ADMIN account; default admin@example.com with a strong password. */
  readonly admin?: AdminAccount;
  /**
   * Gateway instances to start (default 1), each with its own subscription service and consumer
   * group `gateway-<instanceId>`, all in front of the same subgraphs.
   */
  readonly gatewayInstances?: number;
  /** Kafka brokers instead of KAFKA_BROKERS (e.g. a private broker a fault test stops and starts). */
  readonly kafkaBrokers?: readonly string[];
  /**
   * 'servers' (default): PostgreSQL, FerretDB and Kafka. 'embedded': what `npm start` runs without
   * servers: SQLite and JSON document files in a temporary folder, the in-process event bus.
   */
  readonly storage?: 'servers' | 'embedded';
  /**
   * Rate limits and WebSocket caps to change from their defaults, for every gateway instance (a test
   * about something else than a limit may raise it; none is ever off). On the servers the counters
   * are shared by the instances through a database of this run; embedded, each counts in memory.
   */
  readonly rateLimits?: Omit<RateLimitOptions, 'databaseUrl'>;
  /** The gateways' TRUSTED_DOCUMENTS mode, with the typed client's manifest; default allow (as npm start). */
  readonly trustedDocuments?: TrustedDocumentsMode;
  /**
   * On the servers: subgraphs that keep their data at this URL (a database that exists, e.g. on a
   * private server a fault test stops and starts) instead of a fresh database on the shared server.
   * The harness neither creates nor drops these databases.
   */
  readonly databaseUrls?: Partial<Record<SubgraphName, string>>;
  /** Operation limits of each gateway instance, in order (default: the gateway's default limits). */
  readonly operationLimits?: readonly OperationLimitsSetting[];
  /** Order policy settings instead of the defaults (e.g. a payment TTL of a few seconds). */
  readonly orderPolicy?: Partial<OrderPolicy>;
  /**
   * Gateway instances that cache public entities (ENTITY_CACHE=on): all of them, or per instance in
   * order; default on, as `npm start` (ENTITY_CACHE).
   */
  readonly entityCache?: boolean | readonly boolean[];
}

/** HTTP requests that reached each subgraph (counted by a proxy in front of it). */
export interface SubgraphRequestCounter {
  counts(): Record<SubgraphName, number>;
  reset(): void;
}

/** The whole supergraph on port 0: every listed subgraph, the event bus, and the gateway. */
export interface Supergraph {
  /** The first gateway's URL (HTTP POST, and WebSocket for subscriptions). */
  readonly gatewayUrl: string;
  /** Every gateway instance (`gatewayInstances`); `gateways[0].url === gatewayUrl`. */
  readonly gateways: readonly RunningGateway[];
  readonly admin: AdminAccount;
  readonly subgraphs: RunningSubgraphs;
  /** Kafka, or the in-process bus with `storage: 'embedded'`. */
  readonly bus: EventBus<Topics>;
  /** The subscription topics as the gateways read them (by position). */
  readonly log: TopicLog;
  /** Starts one more gateway instance in front of the same subgraphs (closed with the supergraph). */
  startGatewayInstance(): Promise<RunningGateway>;
  /** The Kafka client and this run's topic prefix (undefined with `storage: 'embedded'`). */
  readonly kafka: { readonly client: Kafka; readonly topicPrefix: string } | undefined;
  readonly requests: SubgraphRequestCounter;
  /** Signs an access token with this supergraph's key (e.g. a short-lived one to watch it expire). */
  signAccessToken(viewer: Viewer, ttlSeconds: number): string;
  /** Closes everything in reverse order, drops the databases and deletes this run's topics. */
  close(): Promise<void>;
}

/**
 * Starts the supergraph of the list (supergraph/src/subgraphs.ts) in the test process. On the
 * servers: a fresh database per subgraph, a unique topic prefix (so runs never see each other's
 * events), a fresh RSA key pair and a seeded admin.
 */
export async function startSupergraph(options: SupergraphOptions = {}): Promise<Supergraph> {
  const logger = options.logger ?? createLogger('e2e');
  const closers = new Closers();
  return closers.undoOnFailure('The supergraph', async () => {
    const backend = await startBackend(options, logger, closers);
    const front = await startFront(
      {
        subgraphUrls: mapSubgraphs(backend.subgraphs, (subgraph) => subgraph.url),
        log: backend.log,
        keys: backend.keys,
        logger,
        gatewayInstances: options.gatewayInstances,
        rateLimits: backend.rateLimits,
        trustedDocuments: options.trustedDocuments ?? 'allow',
        operationLimits: options.operationLimits,
        entityCache: options.entityCache,
      },
      closers,
    );
    return { ...front, ...backend, close: () => closers.closeAll('The supergraph') };
  });
}

/** The subgraphs of a supergraph, the bus they publish to and what its gateways need to join them. */
export interface Backend {
  readonly subgraphs: RunningSubgraphs;
  readonly admin: AdminAccount;
  readonly keys: { readonly publicKey: string; readonly privateKey: string };
  readonly bus: EventBus<Topics>;
  readonly log: TopicLog;
  readonly kafka: { readonly client: Kafka; readonly topicPrefix: string } | undefined;
  /** The gateways' rate limits, counted in a database of this run on the servers. */
  readonly rateLimits: RateLimitOptions;
}

/**
 * Every listed subgraph on port 0. On the servers: a fresh database per subgraph, a unique topic
 * prefix (so runs never see each other's events), a fresh RSA key pair and a seeded admin.
 */
export async function startBackend(
  options: Omit<SupergraphOptions, 'logger'>,
  logger: Logger,
  closers: Closers,
): Promise<Backend> {
  const admin = options.admin ?? {
    email: 'admin@example.com',
    password: `Adm1n-${randomBytes(12).toString('base64url')}`,
  };
  const keys = generateKeyPair();
  const jwt: JwtConfig = { ...keys, accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 86_400 };
  let bus: EventBus<Topics>;
  let log: TopicLog;
  let kafka: { readonly client: Kafka; readonly topicPrefix: string } | undefined;
  let opened: OpenedSubgraphs;
  let rateLimits: RateLimitOptions = { ...options.rateLimits };
  if (options.storage === 'embedded') {
    const dataDir = mkdtempSync(join(tmpdir(), 'commerce-e2e-'));
    closers.push(() => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })));
    opened = await openEmbeddedStorage(dataDir, closers);
    const memoryBus = new InMemoryEventBus();
    bus = memoryBus;
    log = new InMemoryTopicLog(memoryBus);
    closers.push(() => bus.close());
  } else {
    const testBus = await createTestKafkaBus('e2e', logger, options.kafkaBrokers);
    closers.push(() => testBus.close());
    bus = testBus.bus;
    log = testBus.log;
    kafka = { client: testBus.kafka, topicPrefix: testBus.topicPrefix };
    const counters = await createPostgresDatabase('e2e_gateway');
    closers.push(() => counters.drop());
    rateLimits = { ...rateLimits, databaseUrl: counters.url };
    opened = await openServerStorage(async (subgraph) => {
      const url = options.databaseUrls?.[subgraph.name];
      if (url !== undefined) return url;
      const database =
        subgraph.server === 'postgres'
          ? await createPostgresDatabase(`e2e_${subgraph.name}`)
          : await createMongoDatabase(`e2e_${subgraph.name}`);
      closers.push(() => database.drop());
      return database.url;
    }, closers);
  }
  const subgraphs = await startSubgraphs(
    opened,
    { bus, jwt, logger, admin, orderPolicy: options.orderPolicy, ports: 'free' },
    closers,
  );
  return { subgraphs, admin, keys, bus, log, kafka, rateLimits };
}

/** The counting proxies in front of the subgraphs and the gateway instances behind one supergraph. */
export async function startFront(
  settings: {
    readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
    readonly log: TopicLog;
    readonly keys: { readonly publicKey: string; readonly privateKey: string };
    readonly logger: Logger;
    readonly gatewayInstances: number | undefined;
    readonly rateLimits: RateLimitOptions;
    readonly trustedDocuments: TrustedDocumentsMode;
    readonly operationLimits: readonly OperationLimitsSetting[] | undefined;
    readonly entityCache: boolean | readonly boolean[] | undefined;
  },
  closers: Closers,
): Promise<
  Pick<Supergraph, 'gatewayUrl' | 'gateways' | 'startGatewayInstance' | 'signAccessToken' | 'requests'>
> {
  const { subgraphUrls, log, keys, logger } = settings;
  const proxies = await forEachSubgraph(async ({ name }) => {
    const proxy = await startCountingProxy(subgraphUrls[name]);
    closers.push(() => proxy.close());
    return proxy;
  });
  const gateways: RunningGateway[] = [];
  const startGatewayInstance = async (): Promise<RunningGateway> => {
    const i = gateways.length;
    const gateway = await startGateway({
      supergraphSdl: supergraphSdl(),
      subgraphUrls: Object.fromEntries(Object.entries(proxies).map(([name, proxy]) => [name, proxy.url])),
      jwtPublicKey: keys.publicKey,
      logger,
      port: 0,
      subscriptions: { log, instanceId: uniqueName(`gw${i + 1}`) },
      rateLimits: settings.rateLimits,
      trustedDocuments: { mode: settings.trustedDocuments },
      operationLimits: settings.operationLimits?.[i],
      entityCache: {
        enabled:
          typeof settings.entityCache === 'boolean'
            ? settings.entityCache
            : (settings.entityCache?.[i] ?? true),
      },
    });
    closers.push(() => gateway.close());
    gateways.push(gateway);
    return gateway;
  };
  for (let i = 0; i < (settings.gatewayInstances ?? 1); i += 1) await startGatewayInstance();
  const [first] = gateways;
  if (!first) throw new Error('gatewayInstances must be at least 1');
  return {
    gatewayUrl: first.url,
    gateways,
    startGatewayInstance,
    signAccessToken: (viewer, ttlSeconds) => signAccessToken(viewer, keys.privateKey, ttlSeconds),
    requests: {
      counts: () => mapSubgraphs(proxies, (proxy) => proxy.count()),
      reset: () => Object.values(proxies).forEach((proxy) => proxy.reset()),
    },
  };
}
