import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { JwtConfig } from '@commerce/common/config';
import { OutboxRelay, type EventBus, type Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { serveSubgraph, type HealthReport, type RunningSubgraph } from '@commerce/common/server';
import { EmbeddedSqlOutboxSource, isEmbeddedSql } from '@commerce/common/embedded';
import { TypeormOutboxSource } from '@commerce/common/typeorm';
import { parse } from 'graphql';
import type { DataSource } from 'typeorm';
import { TypeormInventoryStore } from './adapters/typeorm/typeormInventoryStore.js';
import { subscribeConsumers } from './consumers/index.js';
import { contextFactory } from './context.js';
import { resolvers } from './resolvers/index.js';

export {
  createEmbeddedInventoryDataSource,
  createInventoryDataSource,
} from './adapters/typeorm/dataSource.js';
export type { RunningSubgraph } from '@commerce/common/server';

/** What the inventory subgraph runs on. The caller owns (and closes) the data source and the bus. */
export interface InventoryDeps {
  /**
   * Initialized, with migrations run: PostgreSQL (createInventoryDataSource) or the embedded SQLite
   * database (createEmbeddedInventoryDataSource).
   */
  readonly dataSource: DataSource;
  readonly bus: EventBus<Topics>;
  readonly jwt: JwtConfig;
  readonly logger: Logger;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Consumer group of the event handlers; default 'inventory'. */
  readonly consumerGroup?: string;
}

const schemaUrl = new URL('../../../schema/inventory.graphql', import.meta.url);

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
  const notify = (): void => relay.notify();
  const schema = buildSubgraphSchema({ typeDefs: parse(readFileSync(schemaUrl, 'utf8')), resolvers });

  relay.start();
  let unsubscribe: (() => Promise<void>) | undefined;
  try {
    const group = deps.consumerGroup ?? 'inventory';
    unsubscribe = await subscribeConsumers(deps.bus, group, { store, consumer: group, logger, notify });
    return await serveSubgraph({
      name: 'inventory',
      schema,
      context: contextFactory({ store, publicKey: deps.jwt.publicKey, logger, notifyOutbox: notify }),
      logger,
      port: deps.port,
      host: deps.host,
      health: () => health(store, relay),
      onClose: async () => {
        await unsubscribe?.();
        await relay.stop();
      },
    });
  } catch (error) {
    await unsubscribe?.();
    await relay.stop();
    throw error;
  }
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
