import type { EventBus, Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { startGateway, type OperationLimitsSetting, type RunningGateway } from '@commerce/gateway';
import type { Closers } from './closers.js';
import { supergraphSdl } from './composition.js';
import type { RunningSubgraphs } from './start-subgraphs.js';

export interface StartGatewayOptions {
  readonly jwt: { readonly publicKey: string };
  readonly logger: Logger;
  readonly port: number;
  readonly host?: string | undefined;
  /** Default: the gateway's default limits. */
  readonly operationLimits?: OperationLimitsSetting | undefined;
}

/** The gateway in front of the running subgraphs, with subscriptions from `bus`; pushed onto `closers`. */
export async function startGatewayFor(
  subgraphs: RunningSubgraphs,
  bus: EventBus<Topics>,
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
    subscriptions: { bus },
    operationLimits: options.operationLimits,
  });
  closers.push(() => gateway.close());
  return gateway;
}
