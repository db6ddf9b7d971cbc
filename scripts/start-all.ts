/**
 * `npm start`: the four subgraphs and the gateway in one process.
 *
 * - None of KAFKA_BROKERS, DATABASE_URL, MONGODB_URL set: embedded mode. No server needed: SQLite
 *   (TypeORM on sql.js) and JSON document files in DATA_DIR (default ./data), an in-process event
 *   bus. The admin and, on the folder's first start, the demo products are seeded.
 * - All three set: the servers they name (e.g. those of `npm run infra:up`, whose variables are in
 *   .infra/env). Each subgraph gets its own database there: commerce_users, commerce_inventory,
 *   commerce_products, commerce_orders.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  readJwtConfig,
  readKafkaConfig,
  readString,
  type Env,
  type JwtConfig,
} from '@commerce/common/config';
import { createKafkaEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { runService } from '@commerce/common/server';
import { startGateway } from '@commerce/gateway';
import { createInventoryDataSource, startInventorySubgraph } from '@commerce/inventory';
import { ensureOrdersIndexes, startOrdersSubgraph } from '@commerce/orders';
import { ensureProductsIndexes, startProductsSubgraph } from '@commerce/products';
import { createUsersDataSource, startUsersSubgraph } from '@commerce/users';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { startEmbeddedSupergraph } from './embedded/supergraph.js';

const logger = createLogger('supergraph');
const env: Env = process.env;
const serverVariables = ['KAFKA_BROKERS', 'DATABASE_URL', 'MONGODB_URL'] as const;
const defaultAdmin = { email: 'admin@example.com', password: 'Admin12345!' };

const admin = {
  email: readString(env, 'ADMIN_EMAIL', defaultAdmin.email),
  password: readString(env, 'ADMIN_PASSWORD', defaultAdmin.password),
};
const port = Number(readString(env, 'PORT', '4000'));
const set = serverVariables.filter((name) => env[name]?.trim());

runService(logger, async () => {
  if (set.length === 0) return [await startEmbedded()];
  if (set.length === serverVariables.length) return [await startOnServers(readJwtConfig(env))];
  const missing = serverVariables.filter((name) => !set.includes(name)).join(', ');
  throw new Error(
    `${set.join(', ')} set but not ${missing}: set all three to run on servers ` +
      '(e.g. `set -a; . .infra/env; set +a` after `npm run infra:up`), or none for the embedded mode',
  );
});

async function startEmbedded(): Promise<() => Promise<void>> {
  const dataDir = resolve(readString(env, 'DATA_DIR', 'data'));
  const supergraph = await startEmbeddedSupergraph({
    dataDir,
    jwt: readJwtConfig({ ...env, DATA_DIR: dataDir }),
    admin,
    logger,
    port,
    host: readString(env, 'HOST', '127.0.0.1'),
  });
  const url = supergraph.gateway.url;
  const password =
    env['ADMIN_PASSWORD']?.trim() !== undefined && env['ADMIN_PASSWORD'].trim() !== ''
      ? '(the password in ADMIN_PASSWORD)'
      : `${admin.password}  (default; set ADMIN_EMAIL / ADMIN_PASSWORD before the first start)`;
  const demo = supergraph.demo === 'seeded' ? 'created now' : 'created on the first start';
  console.log(
    [
      '',
      `  commerce-supergraph is up (embedded: data in ${dataDir}, in-process events)`,
      '',
      `  GraphQL API and playground: ${url}`,
      `  Admin: ${admin.email} / ${password}`,
      `  Log in:  mutation { login(email: "${admin.email}", password: "…") { accessToken } }`,
      '           then send the header  Authorization: Bearer <accessToken>',
      `  Demo products (${demo}): query { products { edges { node { name price inventory { available } } } } }`,
      '',
      `  Delete ${dataDir} to start afresh. Ctrl-C stops.`,
      '',
    ].join('\n'),
  );
  return () => supergraph.close();
}

async function startOnServers(jwt: JwtConfig): Promise<() => Promise<void>> {
  const kafka = readKafkaConfig(env);
  if (!kafka) throw new Error('KAFKA_BROKERS is not set');
  const bus = createKafkaEventBus('commerce-supergraph', kafka, logger);
  await bus.ensureTopics();
  const databaseUrl = readString(env, 'DATABASE_URL');
  const usersDataSource = createUsersDataSource(await ensurePostgresDatabase(databaseUrl, 'commerce_users'));
  const inventoryDataSource = createInventoryDataSource(
    await ensurePostgresDatabase(databaseUrl, 'commerce_inventory'),
  );
  const mongo = new MongoClient(readString(env, 'MONGODB_URL'));
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
    port,
    subscriptions: { bus },
  });

  console.log(`\n  commerce-supergraph is up: ${gateway.url}\n  admin: ${admin.email} / ${admin.password}\n`);

  return async () => {
    await gateway.close();
    for (const subgraph of subgraphs.reverse()) await subgraph.close();
    await bus.close();
    await Promise.all([usersDataSource.destroy(), inventoryDataSource.destroy(), mongo.close()]);
  };
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
