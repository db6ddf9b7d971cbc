import type { TopicLog } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import {
  startGateway,
  type EntityCacheOptions,
  type GatewayExposure,
  type OperationLimitsSetting,
  type RateLimitOptions,
  type RunningGateway,
  type TrustedDocumentsConfig,
} from '@commerce/gateway';
import type { Closers } from './closers.js';
import { supergraphSdl } from './composition.js';
import type { RunningSubgraphs } from './start-subgraphs.js';

export interface StartGatewayOptions {
  readonly jwt: { readonly publicKey: string };
  readonly logger: Logger;
  readonly port: number;
  readonly host?: string | undefined;
  /** Default: the default limits, counted in memory. */
  readonly rateLimits?: RateLimitOptions | undefined;
  /** Introspection, suggestions and /metrics (default: open, as on a developer's machine). */
  readonly exposure?: GatewayExposure | undefined;
  /** TRUSTED_DOCUMENTS: which documents the gateway runs (readTrustedDocuments); default mode off. */
  readonly trustedDocuments?: TrustedDocumentsConfig | undefined;
  /** Default: the gateway's default limits. */
  readonly operationLimits?: OperationLimitsSetting | undefined;
  /** ENTITY_CACHE: the gateway's entity cache (off when omitted; ENTITY_CACHE's default is on). */
  readonly entityCache?: EntityCacheOptions | undefined;
}

/** The gateway in front of the running subgraphs, with subscriptions read from `log`; pushed onto `closers`. */
export async function startGatewayFor(
  subgraphs: RunningSubgraphs,
  log: TopicLog,
  options: StartGatewayOptions,
  closers: Closers,
): Promise<RunningGateway> {
  const gateway = await startGateway({
    supergraphSdl: supergraphSdl(),
    subgraphUrls: Object.fromEntries(Object.values(subgraphs).map(({ name, url }) => [name, url])),
    jwtPublicKey: options.jwt.publicKey,
    logger: options.logger,
    port: options.port,
    host: options.host,
    subscriptions: { log },
    rateLimits: options.rateLimits,
    exposure: options.exposure,
    trustedDocuments: options.trustedDocuments,
    operationLimits: options.operationLimits,
    entityCache: options.entityCache,
  });
  closers.push(() => gateway.close());
  return gateway;
}
