/**
 * `npm start`: the four subgraphs and the gateway in one process, on the servers named by
 * KAFKA_BROKERS, DATABASE_URL and MONGODB_URL (or, when unset, those `npm run infra:up` started).
 * Each subgraph gets its own database on those servers: commerce_users, commerce_inventory,
 * commerce_products, commerce_orders.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readJwtConfig, readString } from '@commerce/common/config';
import { createKafkaClient, KafkaEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { startGateway } from '@commerce/gateway';
import { createInventoryDataSource, startInventorySubgraph } from '@commerce/inventory';
import { ensureOrdersIndexes, startOrdersSubgraph } from '@commerce/orders';
import { ensureProductsIndexes, startProductsSubgraph } from '@commerce/products';
import { createUsersDataSource, startUsersSubgraph } from '@commerce/users';
import { MongoClient } from 'mongodb';
import pg from 'pg';

const logger = createLogger('supergraph');
const env = { ...readInfraEnv(), ...process.env };

function readInfraEnv(): Record<string, string> {
  const file = '.infra/env';
  if (!existsSync(file)) return {};
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes('='));
  return Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function ensurePostgresDatabase(url: string, database: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return withDatabase(url, database);
}

const hint = 'start the servers with `npm run infra:up`, or set the variable';
const kafkaBrokers = readString(env, 'KAFKA_BROKERS', '') || fail(`KAFKA_BROKERS is not set: ${hint}`);
const databaseUrl = readString(env, 'DATABASE_URL', '') || fail(`DATABASE_URL is not set: ${hint}`);
const mongodbUrl = readString(env, 'MONGODB_URL', '') || fail(`MONGODB_URL is not set: ${hint}`);
const jwt = readJwtConfig(env);
const admin = {
  email: readString(env, 'ADMIN_EMAIL', 'admin@example.com'),
  password: readString(env, 'ADMIN_PASSWORD', 'Admin12345!'),
};

function fail(message: string): never {
  logger.fatal(message);
  process.exit(1);
}

const bus = new KafkaEventBus(createKafkaClient('commerce-supergraph', kafkaBrokers.split(','), logger), {
  topicPrefix: env['KAFKA_TOPIC_PREFIX'] ?? '',
  logger,
});
await bus.ensureTopics();
const usersDataSource = createUsersDataSource(await ensurePostgresDatabase(databaseUrl, 'commerce_users'));
const inventoryDataSource = createInventoryDataSource(
  await ensurePostgresDatabase(databaseUrl, 'commerce_inventory'),
);
const mongo = new MongoClient(mongodbUrl);
await Promise.all([usersDataSource.initialize(), inventoryDataSource.initialize(), mongo.connect()]);
const productsDb = mongo.db('commerce_products');
const ordersDb = mongo.db('commerce_orders');
await Promise.all([ensureProductsIndexes(productsDb), ensureOrdersIndexes(ordersDb)]);

const verifyOnly = { ...jwt, privateKey: null };
const base = { bus, logger };
const subgraphs = [
  await startUsersSubgraph({ ...base, jwt, dataSource: usersDataSource, admin, port: 4001 }),
  await startProductsSubgraph({ ...base, jwt: verifyOnly, db: productsDb, port: 4002 }),
  await startInventorySubgraph({ ...base, jwt: verifyOnly, dataSource: inventoryDataSource, port: 4003 }),
  await startOrdersSubgraph({ ...base, jwt: verifyOnly, db: ordersDb, port: 4004 }),
];
const gateway = await startGateway({
  supergraphSdl: readFileSync('schema/supergraph.graphql', 'utf8'),
  subgraphUrls: Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, subgraph.url])),
  jwtPublicKey: jwt.publicKey,
  logger,
  port: Number(env['PORT'] ?? 4000),
});

console.log(`\n  commerce-supergraph is up: ${gateway.url}\n  admin: ${admin.email} / ${admin.password}\n`);

async function shutdown(): Promise<void> {
  await gateway.close();
  for (const subgraph of subgraphs.reverse()) await subgraph.close();
  await bus.close();
  await Promise.all([usersDataSource.destroy(), inventoryDataSource.destroy(), mongo.close()]);
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
