import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { EmbeddedSqlOutboxSource, isEmbeddedSql } from '@commerce/common/embedded';
import { ConsumerHealth, OutboxRelay, subscribeAll } from '@commerce/common/events';
import {
  serveSubgraph,
  type HealthReport,
  type RunningSubgraph,
  type SubgraphDeps,
} from '@commerce/common/server';
import { TypeormOutboxSource } from '@commerce/common/typeorm';
import { parse } from 'graphql';
import type { DataSource } from 'typeorm';
import { TypeormInventoryStore } from './adapters/typeorm/inventory-store.js';
import { consumers } from './consumers/index.js';
import { createContext } from './context.js';
import { StockService } from './domain/stock-service.js';
import { resolvers } from './resolvers/index.js';
import { inventorySubgraph } from './subgraph.js';

/** What the inventory subgraph runs on. The caller owns (and closes) the data source and the bus. */
export type InventoryDeps = SubgraphDeps & {
  /**
   * Initialized, with migrations run: PostgreSQL (createInventoryDataSource) or the embedded SQLite
   * database (createEmbeddedInventoryDataSource).
   */
  readonly dataSource: DataSource;
};

/**
 * Starts the inventory subgraph: the outbox relay, the consumers of product and order events,
 * and GraphQL over HTTP. `close()` stops HTTP, then the consumers (after the message in hand),
 * then the relay.
 */
export async function startInventorySubgraph(deps: InventoryDeps): Promise<RunningSubgraph> {
  const logger = deps.logger.child({ subgraph: 'inventory' });
  const store = new TypeormInventoryStore(deps.dataSource);
  const outbox = isEmbeddedSql(deps.dataSource)
    ? new EmbeddedSqlOutboxSource(deps.dataSource)
    : new TypeormOutboxSource(deps.dataSource);
  const relay = new OutboxRelay(outbox, deps.bus, { logger });
  const stock = new StockService(store, { notify: () => relay.notify() });
  const schema = buildSubgraphSchema({
    typeDefs: parse(readFileSync(inventorySubgraph.sdlPath, 'utf8')),
    resolvers,
  });

  relay.start();
  const consumerHealth = new ConsumerHealth();
  const group = deps.consumerGroup ?? 'inventory';
  let unsubscribe: () => Promise<void>;
  try {
    unsubscribe = await subscribeAll(deps.bus, group, consumers({ stock, consumer: group, logger }), {
      fromBeginning: true,
      monitor: consumerHealth,
    });
  } catch (error) {
    await relay.stop();
    throw error;
  }
  return serveSubgraph({
    name: 'inventory',
    schema,
    publicKey: deps.jwt.publicKey,
    context: (base) => createContext(base, { store, stock }),
    relay,
    logger,
    port: deps.port,
    host: deps.host,
    health: () => health(store, relay),
    consumers: consumerHealth,
    onClose: unsubscribe,
  });
}

async function health(store: TypeormInventoryStore, relay: OutboxRelay): Promise<HealthReport> {
  const database = await store.ping().then(
    () => 'ok' as const,
    () => 'down' as const,
  );
  const outbox = relay.health;
  const status = database === 'down' ? 'down' : outbox === 'degraded' ? 'degraded' : 'ok';
  return { status, checks: { database, outbox } };
}
