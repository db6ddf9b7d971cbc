import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, signAccessToken, type Viewer } from '@commerce/common/auth';
import type { JwtConfig } from '@commerce/common/config';
import {
  createKafkaClient,
  InMemoryEventBus,
  KafkaEventBus,
  type EventBus,
  type Topics,
} from '@commerce/common/events';
import { createLogger, type Logger } from '@commerce/common/logger';
import type { RunningSubgraph } from '@commerce/common/server';
import { startGateway, subgraphNames, type RunningGateway, type SubgraphName } from '@commerce/gateway';
import { createInventoryDataSource, startInventorySubgraph } from '@commerce/inventory';
import { ensureOrdersIndexes, startOrdersSubgraph } from '@commerce/orders';
import { ensureProductsIndexes, startProductsSubgraph } from '@commerce/products';
import { createUsersDataSource, startUsersSubgraph } from '@commerce/users';
import { MongoClient } from 'mongodb';
import { openEmbeddedStorage } from '../../scripts/embedded/storage.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { createMongoDatabase, createPostgresDatabase, kafkaBrokers, uniqueName } from './servers.js';
import { waitFor } from './wait.js';

const supergraphSdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');

export interface SupergraphOptions {
  /** Default: the project logger named "e2e" (silent under vitest unless LOG_LEVEL is set). */
  readonly logger?: Logger;
  /** Seeded ADMIN account; default admin@example.com with a strong password. */
  readonly admin?: { readonly email: string; readonly password: string };
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
}

/** HTTP requests that reached each subgraph (counted by a proxy in front of it). */
export interface SubgraphRequestCounter {
  counts(): Record<SubgraphName, number>;
  reset(): void;
}

/** The whole supergraph on port 0: four subgraphs on the real servers, Kafka, and the gateway. */
export interface Supergraph {
  /** The first gateway's URL (HTTP POST, and WebSocket for subscriptions). */
  readonly gatewayUrl: string;
  /** Every gateway instance (`gatewayInstances`); `gateways[0].url === gatewayUrl`. */
  readonly gateways: readonly RunningGateway[];
  readonly admin: { readonly email: string; readonly password: string };
  readonly subgraphs: Readonly<Record<SubgraphName, RunningSubgraph>>;
  /** Kafka, or the in-process bus with `storage: 'embedded'`. */
  readonly bus: EventBus<Topics>;
  readonly requests: SubgraphRequestCounter;
  /** Signs an access token with this supergraph's key (e.g. a short-lived one to watch it expire). */
  signAccessToken(viewer: Viewer, ttlSeconds: number): string;
  /** Closes everything in reverse order, drops the databases and deletes this run's topics. */
  close(): Promise<void>;
}

/**
 * Starts the supergraph in the test process against the real PostgreSQL, FerretDB and Kafka:
 * a fresh database per subgraph, a unique topic prefix (so runs never see each other's events),
 * a fresh RSA key pair and a seeded admin.
 */
export async function startSupergraph(options: SupergraphOptions = {}): Promise<Supergraph> {
  const logger = options.logger ?? createLogger('e2e');
  const admin = options.admin ?? {
    email: 'admin@example.com',
    password: `Adm1n-${randomBytes(12).toString('base64url')}`,
  };
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw new AggregateError(errors, 'Supergraph did not close cleanly');
  };
  try {
    const keys = generateKeyPair();
    const jwt: JwtConfig = { ...keys, accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 86_400 };
    const verifyOnly: JwtConfig = { ...jwt, privateKey: null };

    if (options.storage === 'embedded') {
      return await startEmbedded(
        { logger, admin, jwt, keys, gatewayInstances: options.gatewayInstances },
        close,
        cleanups,
      );
    }

    const topicPrefix = `${uniqueName('e2e')}.`;
    const brokers = options.kafkaBrokers ? [...options.kafkaBrokers] : kafkaBrokers();
    const kafka = createKafkaClient(topicPrefix, brokers, logger);
    const bus = new KafkaEventBus(kafka, { topicPrefix, logger });
    cleanups.push(() => deleteTopics(kafka, topicPrefix));
    cleanups.push(() => bus.close());
    await bus.ensureTopics();

    const [usersDb, inventoryDb, productsDb, ordersDb] = await Promise.all([
      createPostgresDatabase('e2e_users'),
      createPostgresDatabase('e2e_inventory'),
      createMongoDatabase('e2e_products'),
      createMongoDatabase('e2e_orders'),
    ]);
    cleanups.push(() =>
      Promise.all([usersDb.drop(), inventoryDb.drop(), productsDb.drop(), ordersDb.drop()]),
    );

    const usersDataSource = createUsersDataSource(usersDb.url);
    const inventoryDataSource = createInventoryDataSource(inventoryDb.url);
    const productsClient = new MongoClient(productsDb.url);
    const ordersClient = new MongoClient(ordersDb.url);
    cleanups.push(() => productsClient.close());
    cleanups.push(() => ordersClient.close());
    cleanups.push(() => (usersDataSource.isInitialized ? usersDataSource.destroy() : Promise.resolve()));
    cleanups.push(() =>
      inventoryDataSource.isInitialized ? inventoryDataSource.destroy() : Promise.resolve(),
    );
    await Promise.all([
      usersDataSource.initialize(),
      inventoryDataSource.initialize(),
      productsClient.connect(),
      ordersClient.connect(),
    ]);
    const productsDbHandle = productsClient.db(productsDb.dbName);
    const ordersDbHandle = ordersClient.db(ordersDb.dbName);
    await Promise.all([ensureProductsIndexes(productsDbHandle), ensureOrdersIndexes(ordersDbHandle)]);

    const common = { bus, logger, port: 0 };
    const started = await Promise.all([
      startUsersSubgraph({ ...common, jwt, dataSource: usersDataSource, admin }),
      startProductsSubgraph({ ...common, jwt: verifyOnly, db: productsDbHandle }),
      startInventorySubgraph({ ...common, jwt: verifyOnly, dataSource: inventoryDataSource }),
      startOrdersSubgraph({ ...common, jwt: verifyOnly, db: ordersDbHandle }),
    ]);
    const [users, products, inventory, orders] = started;
    for (const subgraph of started) cleanups.push(() => subgraph.close());
    const subgraphs = { users, products, inventory, orders };

    const front = await startFront(
      { subgraphs, bus, keys, logger, gatewayInstances: options.gatewayInstances },
      cleanups,
    );
    await Promise.all(
      front.gateways.map((gateway) => waitForSubscriptionConsumers(kafka, topicPrefix, gateway)),
    );
    return { ...front, admin, subgraphs, bus, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** The embedded variant of startSupergraph (its steps after the keys), on a temporary data folder. */
async function startEmbedded(
  settings: {
    readonly logger: Logger;
    readonly admin: { readonly email: string; readonly password: string };
    readonly jwt: JwtConfig;
    readonly keys: { readonly publicKey: string; readonly privateKey: string };
    readonly gatewayInstances: number | undefined;
  },
  close: () => Promise<void>,
  cleanups: (() => Promise<unknown>)[],
): Promise<Supergraph> {
  const { logger, admin, jwt, keys } = settings;
  const dataDir = mkdtempSync(join(tmpdir(), 'commerce-e2e-'));
  cleanups.push(() => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })));
  const storage = await openEmbeddedStorage(dataDir);
  cleanups.push(() => storage.close());
  const bus = new InMemoryEventBus();
  cleanups.push(() => bus.close());

  const common = { bus, logger, port: 0 };
  const verifyOnly: JwtConfig = { ...jwt, privateKey: null };
  const started = await Promise.all([
    startUsersSubgraph({ ...common, jwt, dataSource: storage.users, admin }),
    startProductsSubgraph({ ...common, jwt: verifyOnly, documents: storage.products }),
    startInventorySubgraph({ ...common, jwt: verifyOnly, dataSource: storage.inventory }),
    startOrdersSubgraph({ ...common, jwt: verifyOnly, documents: storage.orders }),
  ]);
  const [users, products, inventory, orders] = started;
  for (const subgraph of started) cleanups.push(() => subgraph.close());
  const subgraphs = { users, products, inventory, orders };

  const front = await startFront(
    { subgraphs, bus, keys, logger, gatewayInstances: settings.gatewayInstances },
    cleanups,
  );
  return { ...front, admin, subgraphs, bus, close };
}

/** The counting proxies in front of the subgraphs and the gateway instances behind one supergraph. */
async function startFront(
  settings: {
    readonly subgraphs: Readonly<Record<SubgraphName, RunningSubgraph>>;
    readonly bus: EventBus<Topics>;
    readonly keys: { readonly publicKey: string; readonly privateKey: string };
    readonly logger: Logger;
    readonly gatewayInstances: number | undefined;
  },
  cleanups: (() => Promise<unknown>)[],
): Promise<Pick<Supergraph, 'gatewayUrl' | 'gateways' | 'signAccessToken' | 'requests'>> {
  const { subgraphs, bus, keys, logger } = settings;
  const proxies = {} as Record<SubgraphName, CountingProxy>;
  for (const name of subgraphNames) {
    const proxy = await startCountingProxy(subgraphs[name].url);
    cleanups.push(() => proxy.close());
    proxies[name] = proxy;
  }
  const gateways: RunningGateway[] = [];
  for (let i = 0; i < (settings.gatewayInstances ?? 1); i += 1) {
    const gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: Object.fromEntries(subgraphNames.map((name) => [name, proxies[name].url])),
      jwtPublicKey: keys.publicKey,
      logger,
      port: 0,
      subscriptions: { bus, instanceId: uniqueName(`gw${i + 1}`) },
    });
    cleanups.push(() => gateway.close());
    gateways.push(gateway);
  }
  const [first] = gateways;
  if (!first) throw new Error('gatewayInstances must be at least 1');
  return {
    gatewayUrl: first.url,
    gateways,
    signAccessToken: (viewer, ttlSeconds) => signAccessToken(viewer, keys.privateKey, ttlSeconds),
    requests: {
      counts: () => ({
        users: proxies.users.count(),
        products: proxies.products.count(),
        inventory: proxies.inventory.count(),
        orders: proxies.orders.count(),
      }),
      reset: () => subgraphNames.forEach((name) => proxies[name].reset()),
    },
  };
}

/**
 * Waits until Kafka has assigned the partitions of every subscription topic to the gateway's
 * consumers. They start at the latest offset, so an event published before then would not reach
 * the gateway's subscribers. (KafkaEventBus names a group `<prefix><group>.<topic>`.)
 */
async function waitForSubscriptionConsumers(
  kafka: ReturnType<typeof createKafkaClient>,
  topicPrefix: string,
  gateway: RunningGateway,
): Promise<void> {
  const service = gateway.subscriptions;
  if (!service) return;
  const groupIds = service.topics.map((topic) => `${topicPrefix}${service.consumerGroup}.${topic}`);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const { groups } = await admin.describeGroups(groupIds);
        return groups.every((group) => group.state === 'Stable' && group.members.length > 0);
      },
      { timeoutMs: 30_000, intervalMs: 50, message: `the consumer groups of gateway ${service.instanceId}` },
    );
  } finally {
    await admin.disconnect();
  }
}

/** Best effort: a broker that refuses deletion leaves prefixed topics behind, nothing more. */
async function deleteTopics(kafka: ReturnType<typeof createKafkaClient>, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
