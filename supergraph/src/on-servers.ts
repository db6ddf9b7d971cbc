import type { JwtConfig, KafkaConfig } from '@commerce/common/config';
import { createKafkaEventBus, createKafkaTopicLog } from '@commerce/common/events';
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
import type { StartDatabases } from './databases.js';
import { startGatewayFor } from './start-gateway.js';
import { startSubgraphs, type RunningSubgraphs } from './start-subgraphs.js';
import { openServerStorage } from './storage.js';
import type { SubgraphName } from './subgraphs.js';

export interface ServerSupergraphOptions {
  readonly kafka: KafkaConfig;
  /**
   * The databases of each subgraph (on the server its descriptor names) and of the gateway's rate
   * limits (ensureStartDatabases).
   */
  readonly databases: StartDatabases;
  /** Must carry the private key (the users subgraph signs tokens). */
  readonly jwt: JwtConfig;
  readonly admin: AdminAccount;
  /** The ORDER_* settings that are set; defaults for the others. */
  readonly orderPolicy?: Partial<OrderPolicy>;
  readonly logger: Logger;
  /** The gateway's port. */
  readonly port: number;
  /** Each subgraph's port (readSubgraphPorts: its descriptor's unless `<NAME>_PORT` says otherwise). */
  readonly subgraphPorts: Readonly<Record<SubgraphName, number>>;
  readonly host?: string;
  /** The gateway's rate limits (default: the defaults), counted in the database commerce_gateway. */
  readonly rateLimits?: RateLimitOptions;
  /** The gateway's introspection, suggestions and /metrics (default: open). */
  readonly exposure?: GatewayExposure;
  /** Which documents the gateway runs (TRUSTED_DOCUMENTS); default mode off. */
  readonly trustedDocuments?: TrustedDocumentsConfig;
  /** The gateway's operation limits (default: its defaults). */
  readonly operationLimits?: OperationLimitsSetting;
  /** ENTITY_CACHE: the gateway's entity cache (off when omitted; ENTITY_CACHE's default is on). */
  readonly entityCache?: EntityCacheOptions;
}

export interface ServerSupergraph {
  readonly gateway: RunningGateway;
  readonly subgraphs: RunningSubgraphs;
  /** Stops the gateway, the subgraphs, the bus and the database clients, in that order. */
  close(): Promise<void>;
}

/** Every listed subgraph and the gateway in this process, on PostgreSQL, MongoDB and Kafka. */
export async function startServerSupergraph(options: ServerSupergraphOptions): Promise<ServerSupergraph> {
  const closers = new Closers();
  return closers.undoOnFailure('The supergraph', async () => {
    const bus = createKafkaEventBus('commerce-supergraph', options.kafka, options.logger);
    closers.push(() => bus.close());
    await bus.ensureTopics();
    const opened = await openServerStorage(
      (subgraph) => Promise.resolve(options.databases.subgraphs[subgraph.name]),
      closers,
    );
    const subgraphs = await startSubgraphs(
      opened,
      {
        bus,
        jwt: options.jwt,
        logger: options.logger,
        admin: options.admin,
        orderPolicy: options.orderPolicy,
        ports: options.subgraphPorts,
      },
      closers,
    );
    const rateLimits = { ...options.rateLimits, databaseUrl: options.databases.gateway };
    const log = createKafkaTopicLog(options.kafka, options.logger, () => bus.ensureTopics());
    closers.push(() => log.close());
    const gateway = await startGatewayFor(subgraphs, log, { ...options, rateLimits }, closers);
    return { gateway, subgraphs, close: () => closers.closeAll('The supergraph') };
  });
}
