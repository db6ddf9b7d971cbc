import type { JwtConfig } from '@commerce/common/config';
import { defaultRetryPolicy, InMemoryEventBus, InMemoryTopicLog } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { AdminAccount, OrderPolicy } from '@commerce/common/server';
import type {
  EntityCacheOptions,
  GatewayExposure,
  OperationLimitsSetting,
  RateLimitOptions,
  RunningGateway,
  TrustedDocumentsConfig,
} from '@commerce/gateway';
import { Closers } from './closers.js';
import { seedDemoProducts } from './demo.js';
import { startGatewayFor } from './start-gateway.js';
import { pendingEvents, startSubgraphs, type RunningSubgraphs } from './start-subgraphs.js';
import { openEmbeddedStorage } from './storage.js';

export interface EmbeddedSupergraphOptions {
  /** Where the stores live (users.sqlite, inventory.sqlite, products.json, orders.json). */
  readonly dataDir: string;
  /** Must carry the private key (the users subgraph signs tokens). */
  readonly jwt: JwtConfig;
  /** Created at start unless a user has this email. */
  readonly admin: AdminAccount;
  /** The ORDER_* settings that are set; defaults for the others. */
  readonly orderPolicy?: Partial<OrderPolicy>;
  readonly logger: Logger;
  /** The gateway's port; 0 picks a free one. The subgraphs always take free ports. */
  readonly port: number;
  readonly host?: string;
  /** The gateway's introspection, suggestions and /metrics (default: open). */
  readonly exposure?: GatewayExposure;
  /** Which documents the gateway runs (TRUSTED_DOCUMENTS); default mode off. */
  readonly trustedDocuments?: TrustedDocumentsConfig;
  /** Create the demo products on the first start of this data folder (default true). */
  readonly seedDemo?: boolean;
  /** How long close() waits for stored events to be published and consumed (default 10 s). */
  readonly drainTimeoutMs?: number;
  /** The gateway's rate limits, counted in memory (default: the defaults). */
  readonly rateLimits?: RateLimitOptions;
  /** The gateway's operation limits (default: its defaults). */
  readonly operationLimits?: OperationLimitsSetting;
  /** ENTITY_CACHE: the gateway's entity cache (off when omitted; ENTITY_CACHE's default is on). */
  readonly entityCache?: EntityCacheOptions;
}

export interface EmbeddedSupergraph {
  readonly gateway: RunningGateway;
  readonly subgraphs: RunningSubgraphs;
  readonly bus: InMemoryEventBus;
  readonly demo: 'seeded' | 'already seeded' | 'off';
  /**
   * Stops the gateway, waits (up to drainTimeoutMs) until every stored event is published and
   * consumed (the in-process bus keeps nothing across a restart), then stops the subgraphs, the
   * bus, the stores.
   */
  close(): Promise<void>;
}

/**
 * The whole supergraph in this process without any server: every listed subgraph on its embedded
 * storage in `dataDir`, an in-process event bus, the gateway in front. The admin, and on the
 * folder's first start the demo products, are seeded.
 */
export async function startEmbeddedSupergraph(
  options: EmbeddedSupergraphOptions,
): Promise<EmbeddedSupergraph> {
  const closers = new Closers();
  const close = (): Promise<void> => closers.closeAll('The embedded supergraph');
  return closers.undoOnFailure('The embedded supergraph', async () => {
    const opened = await openEmbeddedStorage(options.dataDir, closers);
    const bus = new InMemoryEventBus(defaultRetryPolicy);
    closers.push(() => bus.close());
    const subgraphs = await startSubgraphs(
      opened,
      {
        bus,
        jwt: options.jwt,
        logger: options.logger,
        admin: options.admin,
        orderPolicy: options.orderPolicy,
        host: '127.0.0.1',
        ports: 'free',
      },
      closers,
    );
    closers.push(() => drain(bus, subgraphs, options.drainTimeoutMs ?? 10_000));

    const gateway = await startGatewayFor(subgraphs, new InMemoryTopicLog(bus), options, closers);

    const demo =
      options.seedDemo === false
        ? 'off'
        : await seedDemoProducts({
            usersUrl: subgraphs.users.url,
            productsUrl: subgraphs.products.url,
            admin: options.admin,
            dataDir: options.dataDir,
          });
    return { gateway, subgraphs, bus, demo, close };
  });
}

/** Waits until no event is pending in any outbox and the bus is settled, twice in a row. */
export async function drain(
  bus: InMemoryEventBus,
  subgraphs: RunningSubgraphs,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietChecks = 0;
  while (quietChecks < 2 && Date.now() < deadline) {
    quietChecks = bus.settled && (await pendingEvents(subgraphs)) === 0 ? quietChecks + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
