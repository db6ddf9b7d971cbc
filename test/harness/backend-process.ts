import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createKafkaClient, createKafkaTopicLog } from '@commerce/common/events';
import { createLogger, type Logger } from '@commerce/common/logger';
import type { AdminAccount } from '@commerce/common/server';
import { Closers, type SubgraphName } from '@commerce/supergraph';
import { kafkaBrokers } from './servers.js';
import { startFront, type Supergraph, type SupergraphOptions } from './supergraph.js';

/** backend child → parent */
export type BackendReport =
  | {
      readonly type: 'started';
      readonly subgraphUrls: Record<string, string>;
      readonly admin: AdminAccount;
      readonly keys: { readonly publicKey: string; readonly privateKey: string };
      readonly topicPrefix: string;
      readonly rateLimitsDatabaseUrl: string;
    }
  | { readonly type: 'cpu'; readonly usage: NodeJS.CpuUsage }
  | { readonly type: 'closed' };

/** parent → backend child */
export type BackendCommand = { readonly type: 'cpu' } | { readonly type: 'close' };

/** A supergraph whose subgraphs run in a child process, its gateways in this one. */
export interface SupergraphApart extends Pick<
  Supergraph,
  'gatewayUrl' | 'gateways' | 'admin' | 'log' | 'kafka' | 'requests' | 'signAccessToken' | 'close'
> {
  readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
  /** The subgraph process's CPU time so far. */
  subgraphsCpuUsage(): Promise<NodeJS.CpuUsage>;
}

/**
 * The supergraph on the servers as deployed: the four subgraphs (and their relays and consumers) in
 * a child process, the gateway instances alone in this one, so that this process's CPU time and
 * heap are the gateway's and its event loop waits on nothing else.
 */
export async function startSupergraphApart(
  options: Pick<SupergraphOptions, 'gatewayInstances' | 'rateLimits' | 'entityCache'> & {
    readonly logger?: Logger;
  } = {},
): Promise<SupergraphApart> {
  const logger = options.logger ?? createLogger('e2e');
  const closers = new Closers();
  return closers.undoOnFailure('The supergraph', async () => {
    // Under tsx (the benches) the child inherits its loader; under vitest it needs one of its own.
    const loader = process.execArgv.some((arg) => arg.includes('tsx')) ? [] : ['--import', 'tsx'];
    const child = fork(fileURLToPath(new URL('./backend-child.ts', import.meta.url)), [], {
      execArgv: [...process.execArgv, ...loader],
    });
    const next = nextReport(child);
    closers.push(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const closed = next('closed');
      child.send({ type: 'close' } satisfies BackendCommand);
      await closed.catch(() => child.kill());
    });
    const started = await next('started');
    const brokers = kafkaBrokers();
    const log = createKafkaTopicLog({ brokers, topicPrefix: started.topicPrefix }, logger);
    closers.push(() => log.close());
    const subgraphUrls = started.subgraphUrls as Record<SubgraphName, string>;
    const front = await startFront(
      {
        subgraphUrls,
        log,
        keys: started.keys,
        logger,
        gatewayInstances: options.gatewayInstances,
        rateLimits: { ...options.rateLimits, databaseUrl: started.rateLimitsDatabaseUrl },
        trustedDocuments: 'allow',
        operationLimits: undefined,
        entityCache: options.entityCache,
      },
      closers,
    );
    return {
      ...front,
      admin: started.admin,
      log,
      kafka: {
        client: createKafkaClient(started.topicPrefix, brokers, logger),
        topicPrefix: started.topicPrefix,
      },
      subgraphUrls,
      subgraphsCpuUsage: async () => {
        const answer = next('cpu');
        child.send({ type: 'cpu' } satisfies BackendCommand);
        return (await answer).usage;
      },
      close: () => closers.closeAll('The supergraph'),
    };
  });
}

/** Waits for the child's next report of a type; rejects if the child exits first. */
function nextReport(child: ChildProcess) {
  return <T extends BackendReport['type']>(type: T): Promise<Extract<BackendReport, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: BackendReport): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<BackendReport, { type: T }>);
      };
      const onExit = (code: number | null): void => {
        child.off('message', onMessage);
        reject(new Error(`the subgraph process exited (${code}) before "${type}"`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
}
