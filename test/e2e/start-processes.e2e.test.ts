/**
 * `npm start` on the servers with a process per service (START_PROCESSES=per-service, the default),
 * as a real process on free ports: the walkthrough through its gateway; the gateway and each
 * subgraph in processes of their own; Ctrl-C / SIGTERM stops everything with exit 0; a child that
 * dies or fails to start, or a supervisor that is killed, leaves no process behind.
 */
import { createServer, type Server } from 'node:net';
import { serviceNames, subgraphs } from '@commerce/supergraph';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, dataOf } from '../client/client.js';
import { logLines } from '../fixtures/tsx-child.js';
import { startNpmStart, type NpmStart } from '../harness/npm-start.js';
import { commandOf, descendants, isRunning, processesWith } from '../harness/processes.js';
import { waitFor } from '../harness/wait.js';
import { login, signUpCustomer } from './actors.js';
import { MeQuery, ProductsQuery } from './operations.js';
import { describeWalkthrough } from './walkthrough.js';

describeWalkthrough('npm start, a process per service', async () => {
  const started = await startNpmStart('procs_walkthrough', 'per-service');
  return {
    gatewayUrl: started.url,
    admin: started.admin,
    close: async () => {
      started.child.kill('SIGTERM');
      await started.child.exited;
      await started.cleanUp();
    },
  };
});

/** The service processes under `npm start` (pid → service name), from their command lines. */
function serviceProcesses(start: NpmStart): Map<number, string> {
  const found = new Map<number, string>();
  for (const pid of descendants(start.child.pid ?? 0)) {
    const name = /\/scripts\/service\.ts (\S+)/.exec(commandOf(pid))?.[1];
    if (name) found.set(pid, name);
  }
  return found;
}

/**
 * Waits until none of `pids` runs, nor any process started with `topicPrefix` (every process npm
 * start starts inherits it): a child outliving npm start fails here.
 */
async function expectAllGone(topicPrefix: string, pids: readonly number[] = []): Promise<void> {
  const left = (): number[] => [
    ...new Set([...pids.filter(isRunning), ...processesWith('KAFKA_TOPIC_PREFIX', topicPrefix)]),
  ];
  await waitFor(
    () => {
      const still = left();
      if (still.length === 0) return true;
      throw new Error(`still running: ${still.map((pid) => `${pid} ${commandOf(pid)}`).join('; ')}`);
    },
    { timeoutMs: 10_000, message: 'no process left' },
  );
}

describe('npm start, a process per service: lifecycle', () => {
  let start: NpmStart | undefined;
  let blocker: Server | undefined;

  afterEach(async () => {
    await start?.cleanUp();
    start = undefined;
    blocker?.close();
    blocker = undefined;
  });

  it('runs the gateway and each subgraph in a process of its own; SIGTERM stops them all, exit 0', async () => {
    start = await startNpmStart('procs_lifecycle', 'per-service', { LOG_LEVEL: 'info' });
    expect(start.processes).toBe(serviceNames.length);
    const services = serviceProcesses(start);
    expect([...services.values()].sort()).toEqual([...serviceNames].sort());
    expect(services.has(start.child.pid ?? 0)).toBe(false);

    // A mutation and queries through the gateway reach the subgraphs' processes.
    const client = createClient(start.url);
    const customer = await signUpCustomer(client, 'procs@example.com');
    const { me } = dataOf(await client.request(MeQuery, {}, { token: customer.token }));
    expect(me?.email).toBe('procs@example.com');
    await login(client, start.admin.email, start.admin.password);
    expect(dataOf(await client.request(ProductsQuery, { first: 5 })).products.edges).toEqual([]);

    const all = descendants(start.child.pid ?? 0);
    start.child.kill('SIGTERM');
    const exit = await start.child.exited;
    expect(exit, start.child.stderr).toEqual({ code: 0, signal: null });
    await expectAllGone(start.topicPrefix, all);
    // npm start, then the gateway, then the subgraphs drained.
    const stopping = logLines(start.child.stdout + start.child.stderr)
      .filter((line) => line['msg'] === 'shutting down')
      .map((line) => String(line['service']));
    expect(stopping.slice(0, 2)).toEqual(['supergraph', 'gateway']);
    expect(stopping.slice(2).sort()).toEqual(subgraphs.map(({ name }) => name).sort());
  });

  it('stops everything and exits non-zero, naming it, when a child dies', async () => {
    start = await startNpmStart('procs_crash', 'per-service');
    const all = descendants(start.child.pid ?? 0);
    const [users] = [...serviceProcesses(start)].find(([, name]) => name === 'users') ?? [];
    if (users === undefined) throw new Error('no users process');
    process.kill(users, 'SIGKILL');

    const exit = await start.child.exited;
    const output = start.child.stdout + start.child.stderr;
    expect(exit.code, output).toBe(1);
    expect(output).toMatch(/the users process exited unexpectedly \(signal SIGKILL\): stopping the others/);
    await expectAllGone(start.topicPrefix, all);
  });

  it('stops everything and exits non-zero, with the error visible, when a child fails to start', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker?.listen(0, '127.0.0.1', () => {
        const address = blocker?.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      }),
    );
    const topicPrefix = `procs_fail_${port}.`;
    const failed = await startNpmStart('procs_fail', 'per-service', {
      ORDERS_PORT: String(port),
      KAFKA_TOPIC_PREFIX: topicPrefix,
    }).then(
      () => 'started',
      (error: unknown) => String(error),
    );
    expect(failed).toMatch(/EADDRINUSE/);
    expect(failed).toMatch(/The orders process exited \(code 1\) before it was ready/);
    expect(failed).toMatch(/exited \(1\) before printing/);
    await expectAllGone(topicPrefix);
  });

  it('leaves no service running when npm start itself is killed', async () => {
    start = await startNpmStart('procs_orphans', 'per-service');
    const services = [...serviceProcesses(start).keys()];
    expect(services).toHaveLength(serviceNames.length);
    start.child.kill('SIGKILL');
    await start.child.exited;
    await expectAllGone(start.topicPrefix, services);
  });
});
