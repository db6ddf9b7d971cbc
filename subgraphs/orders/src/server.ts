import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { DocumentOutboxSource, type DocumentDatabase } from '@commerce/common/embedded';
import { ConsumerHealth, OutboxRelay, subscribeAll, type OutboxSource } from '@commerce/common/events';
import { MongoOutboxSource, OutboxLease, pingDatabase } from '@commerce/common/mongo';
import {
  serveSubgraph,
  type HealthReport,
  type RunningSubgraph,
  type SubgraphDeps,
} from '@commerce/common/server';
import { parse } from 'graphql';
import type { Db } from 'mongodb';
import { EmbeddedCatalogStore } from './adapters/embedded/catalog-store.js';
import { EmbeddedOrderStore } from './adapters/embedded/order-store.js';
import { MongoCatalogStore } from './adapters/mongo/catalog-store.js';
import { MongoOrderStore, ordersCollection } from './adapters/mongo/order-store.js';
import { SandboxPaymentProvider } from './adapters/sandbox/payment-provider.js';
import { consumers } from './consumers/index.js';
import { createContext } from './context.js';
import { InventoryOutcomes } from './domain/inventory-outcomes.js';
import { OrderExpiry, sweepIntervalMs } from './domain/order-expiry.js';
import { OrdersService } from './domain/orders-service.js';
import { Payments } from './domain/payments.js';
import { orderPolicy } from './domain/policy.js';
import type { CatalogReader, CatalogWriter, Lease, OrderStore, PaymentProvider } from './domain/ports.js';
import { resolvers } from './resolvers/index.js';
import { ordersSubgraph } from './subgraph.js';

/** Where orders and the catalog copy are stored: MongoDB, or the embedded document database. */
export type OrdersStorage =
  | {
      /** The orders database, with its indexes ensured (ensureOrdersIndexes). */
      readonly db: Db;
      readonly documents?: never;
    }
  | {
      /** The embedded document database of the orders (DocumentDatabase.open). */
      readonly documents: DocumentDatabase;
      readonly db?: never;
    };

/** What the orders subgraph is started with; the caller owns (opens and closes) the storage and the bus. */
export type OrdersDeps = SubgraphDeps &
  OrdersStorage & {
    /** Default: the sandbox (SandboxPaymentProvider). */
    readonly paymentProvider?: PaymentProvider;
  };

/**
 * Starts the orders subgraph: the outbox relay, the event consumers, the expiry of unpaid orders
 * and the HTTP server. `close()` stops them in reverse; pending events stay stored for the next start.
 */
export async function startOrdersSubgraph(deps: OrdersDeps): Promise<RunningSubgraph> {
  const logger = deps.logger.child({ subgraph: 'orders' });
  const typeDefs = parse(readFileSync(ordersSubgraph.sdlPath, 'utf8'));
  const schema = buildSubgraphSchema({ typeDefs, resolvers });
  const { orders, catalog, outbox, expiryLease, ping } = openStores(deps);
  const relay = new OutboxRelay(outbox, deps.bus, { logger });
  const eventsStored = (): void => relay.notify();
  const policy = orderPolicy(deps.orderPolicy);
  const service = new OrdersService({ orders, catalog, eventsStored, policy });
  const payments = new Payments({
    orders,
    provider: deps.paymentProvider ?? new SandboxPaymentProvider(),
    eventsStored,
    logger: logger.child({ component: 'payments' }),
  });
  const outcomes = new InventoryOutcomes({ orders, eventsStored });
  const expiry = new OrderExpiry({
    orders,
    lease: expiryLease,
    eventsStored,
    logger: logger.child({ component: 'expiry' }),
    intervalMs: sweepIntervalMs(policy.paymentTtlSeconds),
  });

  relay.start();
  const consumerHealth = new ConsumerHealth();
  let unsubscribe: () => Promise<void>;
  try {
    unsubscribe = await subscribeAll(
      deps.bus,
      deps.consumerGroup ?? 'orders',
      consumers({ catalog, outcomes, logger }),
      { fromBeginning: true, monitor: consumerHealth },
    );
  } catch (error) {
    await relay.stop();
    throw error;
  }
  expiry.start();
  return serveSubgraph({
    name: 'orders',
    schema,
    publicKey: deps.jwt.publicKey,
    context: (base) => createContext(base, { service, payments, orders }),
    relay,
    logger,
    port: deps.port,
    host: deps.host,
    health: () => health(ping, relay),
    consumers: consumerHealth,
    onClose: async () => {
      await expiry.stop();
      await unsubscribe();
    },
  });
}

function openStores(storage: OrdersStorage): {
  orders: OrderStore;
  catalog: CatalogReader & CatalogWriter;
  outbox: OutboxSource;
  expiryLease: Lease;
  ping: () => Promise<boolean>;
} {
  if (storage.documents) {
    return {
      orders: new EmbeddedOrderStore(storage.documents),
      catalog: new EmbeddedCatalogStore(storage.documents),
      outbox: new DocumentOutboxSource(storage.documents.collection(ordersCollection)),
      // One process per data folder: it always holds the lease.
      expiryLease: { acquire: () => Promise.resolve(true), release: () => Promise.resolve() },
      ping: () => Promise.resolve(true),
    };
  }
  const db = storage.db;
  return {
    orders: new MongoOrderStore(db),
    catalog: new MongoCatalogStore(db),
    outbox: new MongoOutboxSource(db, ordersCollection),
    // Several instances may run on one database: the holder of this lease sweeps (see OutboxLease).
    expiryLease: new OutboxLease(db, expiryLeaseName),
    ping: () => pingDatabase(db),
  };
}

/** The name of the expiry sweep's lease, among the outbox leases of the orders database. */
const expiryLeaseName = 'orders.expiry';

async function health(ping: () => Promise<boolean>, relay: OutboxRelay): Promise<HealthReport> {
  const database = (await ping()) ? 'ok' : 'down';
  const status = database === 'down' ? 'down' : relay.health === 'degraded' ? 'degraded' : 'ok';
  return { status, checks: { database, relay: relay.health } };
}
