import type { JwtConfig } from '@commerce/common/config';
import type { EventBus, Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { AdminAccount, OrderPolicy, RunningSubgraph } from '@commerce/common/server';
import type { Closers } from './closers.js';
import { forEachSubgraph } from './each-subgraph.js';
import type { OpenedSubgraphs } from './storage.js';
import type { SubgraphName } from './subgraphs.js';

export type RunningSubgraphs = Readonly<Record<SubgraphName, RunningSubgraph>>;

export interface StartSubgraphsOptions {
  readonly bus: EventBus<Topics>;
  /** With the private key: only the subgraphs whose descriptor `signsTokens` receive it. */
  readonly jwt: JwtConfig;
  readonly logger: Logger;
  readonly admin?: AdminAccount;
  /** The order policy settings to use instead of the defaults (the orders subgraph reads them). */
  readonly orderPolicy?: Partial<OrderPolicy>;
  readonly host?: string;
  /** Each one's port (one process on the servers: readSubgraphPorts), or 'free': port 0 for all. */
  readonly ports: 'free' | Readonly<Record<SubgraphName, number>>;
}

/** Starts every subgraph on its opened storage; each running one is pushed onto `closers`. */
export function startSubgraphs(
  opened: OpenedSubgraphs,
  options: StartSubgraphsOptions,
  closers: Closers,
): Promise<RunningSubgraphs> {
  const verifyOnly: JwtConfig = { ...options.jwt, privateKey: null };
  return forEachSubgraph(async (subgraph) => {
    const running = await opened[subgraph.name].start({
      bus: options.bus,
      jwt: subgraph.signsTokens ? options.jwt : verifyOnly,
      logger: options.logger,
      admin: options.admin,
      orderPolicy: options.orderPolicy,
      host: options.host,
      port: options.ports === 'free' ? 0 : options.ports[subgraph.name],
    });
    closers.push(() => running.close());
    return running;
  });
}

/** Events stored in the subgraphs' outboxes and not yet published. */
export async function pendingEvents(running: RunningSubgraphs): Promise<number> {
  const counts = await Promise.all(Object.values(running).map((subgraph) => subgraph.pendingEvents()));
  return counts.reduce((sum, count) => sum + count, 0);
}
