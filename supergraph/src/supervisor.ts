import { fork, type ChildProcess } from 'node:child_process';
import type { Env } from '@commerce/common/config';
import type { Logger } from '@commerce/common/logger';
import { gatewayServiceEnv, subgraphServiceEnv, type ServiceSettings } from './processes.js';
import { subgraphs, type SubgraphName } from './subgraphs.js';

/** What a service process forked by the supervisor sends once startService has resolved. */
interface ReadyMessage {
  readonly kind: 'ready';
  readonly url: string;
}

function isReady(message: unknown): message is ReadyMessage {
  return typeof message === 'object' && message !== null && (message as ReadyMessage).kind === 'ready';
}

/**
 * In a service process (scripts/service.ts): when a supervisor forked it, tell it the service is
 * up at `url`. Without a supervisor (a container, `npm run service`) nothing happens.
 */
export function reportReady(url: string): void {
  // A failed send means the supervisor is gone: stopWithSupervisor's handler stops this process.
  process.send?.({ kind: 'ready', url } satisfies ReadyMessage, () => undefined);
}

/**
 * In a service process: when the supervisor that forked it goes away (killed, crashed), stop as on
 * SIGTERM (runService drains), so that no service outlives `npm start`.
 */
export function stopWithSupervisor(): void {
  if (!process.send) return;
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

function describeExit({ code, signal }: ChildExit): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

/** One service's child process. */
class ServiceProcess {
  readonly child: ChildProcess;
  /** Resolves with the service's URL; rejects when the process exits first. */
  readonly ready: Promise<string>;
  readonly exited: Promise<ChildExit>;
  private exit: ChildExit | undefined;

  constructor(
    readonly name: string,
    entry: string,
    env: Env,
  ) {
    this.child = fork(entry, [name], {
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Its own process group: a Ctrl-C at the terminal reaches the supervisor only, which stops
      // the gateway first, then the subgraphs.
      detached: true,
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve((this.exit = { code, signal })));
      // A process that could not be spawned never exits.
      this.child.once('error', () => {
        if (this.child.pid === undefined) resolve((this.exit = { code: null, signal: null }));
      });
    });
    this.ready = new Promise((resolve, reject) => {
      this.child.on('message', (message) => {
        if (isReady(message)) resolve(message.url);
      });
      this.child.once('error', reject);
      void this.exited.then((exit) =>
        reject(new Error(`The ${name} process exited (${describeExit(exit)}) before it was ready`)),
      );
    });
    // A failed start is reported by whoever awaits `ready`; this only keeps it from being unhandled.
    this.ready.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM (runService drains), SIGKILL after `graceMs`; resolves with how it exited. */
  async stop(graceMs: number): Promise<ChildExit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

export interface SupervisedSupergraphOptions {
  /** The one-service entry point (scripts/service.ts), forked once per service with its name. */
  readonly entry: string;
  /** npm start's environment: passed through to every child, with what each one needs (processes.ts). */
  readonly env: Env;
  readonly settings: ServiceSettings;
  readonly logger: Logger;
  /** How long a child may drain after SIGTERM before it is killed (default 30 s). */
  readonly graceMs?: number;
}

export interface SupervisedSupergraph {
  /** The gateway's URL. */
  readonly url: string;
  /** Each service's process id, the gateway's included. */
  readonly pids: Readonly<Record<SubgraphName | 'gateway', number | undefined>>;
  /**
   * Rejects when a child exits on its own (a crash, a kill), once the others are stopped: the
   * supergraph is no longer whole. Never settles otherwise.
   */
  readonly failed: Promise<never>;
  /** Stops the gateway, then the subgraphs (each drains); rejects when one did not exit cleanly. */
  close(): Promise<void>;
}

/**
 * The gateway and every listed subgraph, each in a child process of its own (`entry <name>`,
 * the path startService takes in a container): the subgraphs first, then the gateway in front of
 * the URLs they reported.
 */
export async function startSupervisedSupergraph(
  options: SupervisedSupergraphOptions,
): Promise<SupervisedSupergraph> {
  const { entry, env, settings, logger } = options;
  const graceMs = options.graceMs ?? 30_000;
  const services = subgraphs.map(
    (subgraph) => new ServiceProcess(subgraph.name, entry, subgraphServiceEnv(subgraph, env, settings)),
  );
  let gateway: ServiceProcess | undefined;
  let stopping: Promise<ChildExit[]> | undefined;
  const stopAll = (): Promise<ChildExit[]> =>
    (stopping ??= (async () => {
      const first = gateway ? [await gateway.stop(graceMs)] : [];
      return [...first, ...(await Promise.all(services.map((service) => service.stop(graceMs))))];
    })());

  try {
    const urls = await Promise.all(services.map((service) => service.ready));
    const subgraphUrls = Object.fromEntries(
      services.map((service, index) => [service.name, urls[index] ?? '']),
    ) as Record<SubgraphName, string>;
    gateway = new ServiceProcess('gateway', entry, gatewayServiceEnv(env, settings, subgraphUrls));
    const url = await gateway.ready;

    const all = [gateway, ...services];
    const failed = new Promise<never>((_, reject) => {
      for (const service of all) {
        void service.exited.then(async (exit) => {
          if (stopping) return;
          logger.error(
            { child: service.name, pid: service.pid, code: exit.code, signal: exit.signal },
            `the ${service.name} process exited unexpectedly (${describeExit(exit)}): stopping the others`,
          );
          await stopAll();
          reject(new Error(`The ${service.name} process exited unexpectedly (${describeExit(exit)})`));
        });
      }
    });
    failed.catch(() => undefined);
    return {
      url,
      pids: Object.fromEntries(all.map((service) => [service.name, service.pid])) as Record<
        SubgraphName | 'gateway',
        number | undefined
      >,
      failed,
      async close() {
        const exits = await stopAll();
        const unclean = all.flatMap((service, index) => {
          const exit = exits[index];
          return exit?.code === 0 ? [] : [`${service.name} (${exit ? describeExit(exit) : 'no exit'})`];
        });
        if (unclean.length > 0) throw new Error(`Did not stop cleanly: ${unclean.join(', ')}`);
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
