import { readFileSync } from 'node:fs';
import type { JwtConfig } from '@commerce/common/config';
import { exclusive } from '@commerce/common/embedded';
import type { Logger } from '@commerce/common/logger';
import type { RunningSubgraph } from '@commerce/common/server';
import { startGateway, type RunningGateway } from '@commerce/gateway';
import { startInventorySubgraph } from '@commerce/inventory';
import { startOrdersSubgraph } from '@commerce/orders';
import { startProductsSubgraph } from '@commerce/products';
import { startUsersSubgraph } from '@commerce/users';
import { seedDemoProducts } from './demo.js';
import { SettlingEventBus } from './settling-bus.js';
import { openEmbeddedStorage, type EmbeddedStorage } from './storage.js';

const supergraphSdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');

export interface EmbeddedSupergraphOptions {
  /** Where the stores live (users.sqlite, inventory.sqlite, products.json, orders.json). */
  readonly dataDir: string;
  /** Must carry the private key (the users subgraph signs tokens). */
  readonly jwt: JwtConfig;
  /** Created at start unless a user has this email. */
  readonly admin: { readonly email: string; readonly password: string };
  readonly logger: Logger;
  /** The gateway's port; 0 picks a free one. The subgraphs always take free ports. */
  readonly port: number;
  readonly host?: string;
  /** Create the demo products on the first start of this data folder (default true). */
  readonly seedDemo?: boolean;
}

export interface EmbeddedSupergraph {
  readonly gateway: RunningGateway;
  readonly subgraphs: readonly RunningSubgraph[];
  readonly bus: SettlingEventBus;
  readonly demo: 'seeded' | 'already seeded' | 'off';
  /**
   * Stops the gateway, waits (up to 10 s) until every stored event is published and consumed (the
   * in-process bus keeps nothing across a restart), then stops the subgraphs, the bus, the stores.
   */
  close(): Promise<void>;
}

/**
 * The whole supergraph in this process without any server: the subgraphs on the embedded stores
 * of `dataDir` (SQLite through TypeORM, JSON document files), an in-process event bus, the gateway
 * in front. The admin, and on the folder's first start the demo products, are seeded.
 */
export async function startEmbeddedSupergraph(
  options: EmbeddedSupergraphOptions,
): Promise<EmbeddedSupergraph> {
  const { logger } = options;
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw new AggregateError(errors, 'The embedded supergraph did not close cleanly');
  };
  try {
    const storage = await openEmbeddedStorage(options.dataDir);
    cleanups.push(() => storage.close());
    const bus = new SettlingEventBus();
    cleanups.push(() => bus.close());

    const verifyOnly = { ...options.jwt, privateKey: null };
    const common = { bus, logger, port: 0, host: '127.0.0.1' };
    const subgraphs: RunningSubgraph[] = [];
    const start = async (subgraph: Promise<RunningSubgraph>): Promise<void> => {
      const running = await subgraph;
      subgraphs.push(running);
      cleanups.push(() => running.close());
    };
    await start(
      startUsersSubgraph({ ...common, jwt: options.jwt, dataSource: storage.users, admin: options.admin }),
    );
    await start(startProductsSubgraph({ ...common, jwt: verifyOnly, documents: storage.products }));
    await start(startInventorySubgraph({ ...common, jwt: verifyOnly, dataSource: storage.inventory }));
    await start(startOrdersSubgraph({ ...common, jwt: verifyOnly, documents: storage.orders }));

    cleanups.push(() => settle(bus, storage, 10_000));

    const gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, subgraph.url])),
      jwtPublicKey: options.jwt.publicKey,
      logger,
      port: options.port,
      host: options.host,
      subscriptions: { bus },
    });
    cleanups.push(() => gateway.close());

    const demo =
      options.seedDemo === false
        ? 'off'
        : await seedDemoProducts({ gatewayUrl: gateway.url, admin: options.admin, dataDir: options.dataDir });
    return { gateway, subgraphs, bus, demo, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** Waits until no event is pending in any outbox and the bus is settled, twice in a row. */
async function settle(bus: SettlingEventBus, storage: EmbeddedStorage, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietChecks = 0;
  while (quietChecks < 2 && Date.now() < deadline) {
    quietChecks = bus.settled && (await outboxesEmpty(storage)) ? quietChecks + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function outboxesEmpty(storage: EmbeddedStorage): Promise<boolean> {
  for (const documents of [storage.products, storage.orders]) {
    for (const name of documents.collectionNames()) {
      const pending = documents.collection<{ _id: string; pendingEvents?: unknown[] }>(name);
      if (pending.find((document) => (document.pendingEvents?.length ?? 0) > 0).length > 0) return false;
    }
  }
  for (const dataSource of [storage.users, storage.inventory]) {
    const [row] = await exclusive(dataSource, () =>
      dataSource.query<{ pending: number }[]>(
        'SELECT count(*) AS pending FROM outbox_event WHERE sent_at IS NULL',
      ),
    );
    if ((row?.pending ?? 0) > 0) return false;
  }
  return true;
}
