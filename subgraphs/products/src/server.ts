import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { DocumentOutboxSource, type DocumentDatabase } from '@commerce/common/embedded';
import { OutboxRelay, type OutboxSource } from '@commerce/common/events';
import { MongoOutboxSource, pingDatabase } from '@commerce/common/mongo';
import {
  serveSubgraph,
  type HealthReport,
  type RunningSubgraph,
  type SubgraphDeps,
} from '@commerce/common/server';
import { parse } from 'graphql';
import type { Db } from 'mongodb';
import { EmbeddedProductStore } from './adapters/embedded/product-store.js';
import { productsCollection } from './adapters/mongo/documents.js';
import { MongoProductStore } from './adapters/mongo/product-store.js';
import { createContext } from './context.js';
import { Catalog } from './domain/catalog.js';
import type { ProductStore } from './domain/ports.js';
import { resolvers } from './resolvers/index.js';
import { productsSubgraph } from './subgraph.js';

/** Where the catalog is stored: MongoDB, or the embedded document database. */
export type ProductsStorage =
  | {
      /** The products database (indexes prepared by ensureProductsIndexes). */
      readonly db: Db;
      readonly documents?: never;
    }
  | {
      /** The embedded document database of the products (DocumentDatabase.open). */
      readonly documents: DocumentDatabase;
      readonly db?: never;
    };

/** What the products subgraph needs; the caller owns (opens and closes) the storage and the bus. */
export type ProductsDeps = SubgraphDeps & ProductsStorage;

/**
 * Starts the products subgraph: GraphQL over HTTP, and the outbox relay publishing product events.
 * `close()` stops both, not the database client nor the bus. This subgraph consumes no topic.
 */
export async function startProductsSubgraph(deps: ProductsDeps): Promise<RunningSubgraph> {
  const typeDefs = parse(readFileSync(productsSubgraph.sdlPath, 'utf8'));
  const schema = buildSubgraphSchema({ typeDefs, resolvers });

  const { store, outbox, ping } = openStorage(deps);
  const relay = new OutboxRelay(outbox, deps.bus, { logger: deps.logger });
  const catalog = new Catalog(store, { notify: () => relay.notify() });
  relay.start();

  const health = async (): Promise<HealthReport> => {
    const database = (await ping()) ? 'ok' : 'down';
    const checks = { database, relay: relay.health } as const;
    return { status: database === 'down' ? 'down' : relay.health === 'degraded' ? 'degraded' : 'ok', checks };
  };

  return serveSubgraph({
    name: productsSubgraph.name,
    schema,
    publicKey: deps.jwt.publicKey,
    context: (base) => createContext(base, { catalog, store }),
    relay,
    logger: deps.logger,
    port: deps.port,
    host: deps.host,
    health,
  });
}

function openStorage(storage: ProductsStorage): {
  store: ProductStore;
  outbox: OutboxSource;
  ping: () => Promise<boolean>;
} {
  if (storage.documents) {
    return {
      store: new EmbeddedProductStore(storage.documents),
      outbox: new DocumentOutboxSource(storage.documents.collection(productsCollection)),
      ping: () => Promise.resolve(true),
    };
  }
  const db = storage.db;
  return {
    store: new MongoProductStore(db),
    outbox: new MongoOutboxSource(db, productsCollection),
    ping: () => pingDatabase(db),
  };
}
