import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { DocumentOutboxSource, type DocumentDatabase } from '@commerce/common/embedded';
import { MongoOutboxSource } from '@commerce/common/mongo';
import { parse } from 'graphql';
import type { Db } from 'mongodb';
import type { JwtConfig } from '@commerce/common/config';
import { OutboxRelay, type EventBus, type OutboxSource, type Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { serveSubgraph, type HealthReport, type RunningSubgraph } from '@commerce/common/server';
import { EmbeddedCatalogStore } from './adapters/embedded/catalog-store.js';
import { EmbeddedOrderStore } from './adapters/embedded/order-store.js';
import { MongoCatalogStore } from './adapters/mongo/catalog-store.js';
import { MongoOrderStore, ordersCollection } from './adapters/mongo/order-store.js';
import { startConsumers } from './consumers/index.js';
import { contextFactory } from './context.js';
import { OrdersService } from './domain/orders-service.js';
import type { CatalogReader, CatalogWriter, OrderStore } from './domain/ports.js';
import { resolvers } from './resolvers/index.js';

export { ensureOrdersIndexes } from './adapters/mongo/indexes.js';

/** Where orders and the catalog copy are stored: MongoDB, or the embedded document database. */
export type OrdersStorage =
  | {
      /** The orders database, with its indexes ensured (`ensureOrdersIndexes`). */
      readonly db: Db;
      readonly documents?: never;
    }
  | {
      /** The embedded document database of the orders (DocumentDatabase.open). */
      readonly documents: DocumentDatabase;
      readonly db?: never;
    };

/** What the orders subgraph needs; the caller owns (opens and closes) the storage and the bus. */
export type OrdersDeps = OrdersStorage & {
  readonly bus: EventBus<Topics>;
  readonly jwt: JwtConfig;
  readonly logger: Logger;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Consumer group of the event handlers (default 'orders'). */
  readonly consumerGroup?: string;
};

const schemaPath = new URL('../../../schema/orders.graphql', import.meta.url);

/**
 * Starts the orders subgraph: the outbox relay, the event consumers and the HTTP server.
 * `close()` stops them in reverse; pending events stay stored for the next start.
 */
export async function startOrdersSubgraph(deps: OrdersDeps): Promise<RunningSubgraph> {
  const logger = deps.logger.child({ subgraph: 'orders' });
  const schema = buildSubgraphSchema({ typeDefs: parse(readFileSync(schemaPath, 'utf8')), resolvers });
  const { orders, catalog, outbox, ping } = openStorage(deps);
  const relay = new OutboxRelay(outbox, deps.bus, { logger });
  const service = new OrdersService({ orders, catalog, eventsStored: () => relay.notify() });

  relay.start();
  let stopConsumers: (() => Promise<void>) | undefined;
  try {
    stopConsumers = await startConsumers({
      bus: deps.bus,
      group: deps.consumerGroup ?? 'orders',
      catalog,
      service,
      logger,
    });
    return await serveSubgraph({
      name: 'orders',
      schema,
      context: contextFactory({ jwt: deps.jwt, logger, service, orders }),
      logger,
      port: deps.port,
      host: deps.host,
      health: () => health(ping, relay),
      onClose: async () => {
        await stopConsumers?.();
        await relay.stop();
      },
    });
  } catch (error) {
    await stopConsumers?.();
    await relay.stop();
    throw error;
  }
}

function openStorage(storage: OrdersStorage): {
  orders: OrderStore;
  catalog: CatalogReader & CatalogWriter;
  outbox: OutboxSource;
  ping: () => Promise<unknown>;
} {
  if (storage.documents) {
    return {
      orders: new EmbeddedOrderStore(storage.documents),
      catalog: new EmbeddedCatalogStore(storage.documents),
      outbox: new DocumentOutboxSource(storage.documents.collection(ordersCollection)),
      ping: () => Promise.resolve(),
    };
  }
  const db = storage.db;
  return {
    orders: new MongoOrderStore(db),
    catalog: new MongoCatalogStore(db),
    outbox: new MongoOutboxSource(db, ordersCollection),
    ping: () => db.command({ ping: 1 }),
  };
}

async function health(ping: () => Promise<unknown>, relay: OutboxRelay): Promise<HealthReport> {
  const database = await ping().then(
    () => 'ok' as const,
    () => 'down' as const,
  );
  const status = database === 'down' ? 'down' : relay.health === 'degraded' ? 'degraded' : 'ok';
  return { status, checks: { database, relay: relay.health } };
}
