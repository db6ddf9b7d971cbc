import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { MongoOutboxSource } from '@commerce/common/mongo';
import { parse } from 'graphql';
import type { Db } from 'mongodb';
import type { JwtConfig } from '@commerce/common/config';
import { OutboxRelay, type EventBus, type Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { serveSubgraph, type HealthReport, type RunningSubgraph } from '@commerce/common/server';
import { MongoCatalogStore } from './adapters/mongo/catalog-store.js';
import { MongoOrderStore, ordersCollection } from './adapters/mongo/order-store.js';
import { startConsumers } from './consumers/index.js';
import { contextFactory } from './context.js';
import { OrdersService } from './domain/orders-service.js';
import { resolvers } from './resolvers/index.js';

export { ensureOrdersIndexes } from './adapters/mongo/indexes.js';

/** What the orders subgraph needs; the caller owns (and closes) the database client and the bus. */
export interface OrdersDeps {
  /** The orders database, with its indexes ensured (`ensureOrdersIndexes`). */
  readonly db: Db;
  readonly bus: EventBus<Topics>;
  readonly jwt: JwtConfig;
  readonly logger: Logger;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Consumer group of the event handlers (default 'orders'). */
  readonly consumerGroup?: string;
}

const schemaPath = new URL('../../../schema/orders.graphql', import.meta.url);

/**
 * Starts the orders subgraph: the outbox relay, the event consumers and the HTTP server.
 * `close()` stops them in reverse; pending events stay stored for the next start.
 */
export async function startOrdersSubgraph(deps: OrdersDeps): Promise<RunningSubgraph> {
  const logger = deps.logger.child({ subgraph: 'orders' });
  const schema = buildSubgraphSchema({ typeDefs: parse(readFileSync(schemaPath, 'utf8')), resolvers });
  const orders = new MongoOrderStore(deps.db);
  const catalog = new MongoCatalogStore(deps.db);
  const relay = new OutboxRelay(new MongoOutboxSource(deps.db, ordersCollection), deps.bus, { logger });
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
      health: () => health(deps.db, relay),
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

async function health(db: Db, relay: OutboxRelay): Promise<HealthReport> {
  const database = await db.command({ ping: 1 }).then(
    () => 'ok' as const,
    () => 'down' as const,
  );
  const status = database === 'down' ? 'down' : relay.health === 'degraded' ? 'degraded' : 'ok';
  return { status, checks: { database, relay: relay.health } };
}
