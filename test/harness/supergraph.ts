import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { generateKeyPair } from '@commerce/common/auth';
import type { JwtConfig } from '@commerce/common/config';
import { createKafkaClient, KafkaEventBus } from '@commerce/common/events';
import { createLogger, type Logger } from '@commerce/common/logger';
import type { RunningSubgraph } from '@commerce/common/server';
import { startGateway, subgraphNames, type SubgraphName } from '@commerce/gateway';
import { createInventoryDataSource, startInventorySubgraph } from '@commerce/inventory';
import { ensureOrdersIndexes, startOrdersSubgraph } from '@commerce/orders';
import { ensureProductsIndexes, startProductsSubgraph } from '@commerce/products';
import { createUsersDataSource, startUsersSubgraph } from '@commerce/users';
import { MongoClient } from 'mongodb';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { createMongoDatabase, createPostgresDatabase, kafkaBrokers, uniqueName } from './servers.js';

const supergraphSdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');

export interface SupergraphOptions {
  /** Default: the project logger named "e2e" (silent under vitest unless LOG_LEVEL is set). */
  readonly logger?: Logger;
  /** Seeded ADMIN account; default admin@example.com with a strong password. */
  readonly admin?: { readonly email: string; readonly password: string };
}

/** HTTP requests that reached each subgraph (counted by a proxy in front of it). */
export interface SubgraphRequestCounter {
  counts(): Record<SubgraphName, number>;
  reset(): void;
}

/** The whole supergraph on port 0: four subgraphs on the real servers, Kafka, and the gateway. */
export interface Supergraph {
  readonly gatewayUrl: string;
  readonly admin: { readonly email: string; readonly password: string };
  readonly subgraphs: Readonly<Record<SubgraphName, RunningSubgraph>>;
  readonly bus: KafkaEventBus;
  readonly requests: SubgraphRequestCounter;
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

    const topicPrefix = `${uniqueName('e2e')}.`;
    const brokers = kafkaBrokers();
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

    const proxies = {} as Record<SubgraphName, CountingProxy>;
    for (const name of subgraphNames) {
      const proxy = await startCountingProxy(subgraphs[name].url);
      cleanups.push(() => proxy.close());
      proxies[name] = proxy;
    }

    const gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: Object.fromEntries(subgraphNames.map((name) => [name, proxies[name].url])),
      jwtPublicKey: keys.publicKey,
      logger,
      port: 0,
    });
    cleanups.push(() => gateway.close());

    return {
      gatewayUrl: gateway.url,
      admin,
      subgraphs,
      bus,
      requests: {
        counts: () => ({
          users: proxies.users.count(),
          products: proxies.products.count(),
          inventory: proxies.inventory.count(),
          orders: proxies.orders.count(),
        }),
        reset: () => subgraphNames.forEach((name) => proxies[name].reset()),
      },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
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
