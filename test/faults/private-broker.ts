/**
 * A Kafka broker of one test's own (scripts/infra/infra.sh with its own INFRA_DIR and free ports),
 * which the test may stop and start again without disturbing the shared broker other test files
 * use in parallel.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface PrivateBroker {
  readonly brokers: readonly string[];
  readonly running: boolean;
  /** Stops the broker (SIGTERM, as an operator or a crash of the host would). Data is kept. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and data; resolves once it answers. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

/** Starts a private single-node Kafka (KRaft) on free ports; resolves once it answers. */
export async function startPrivateBroker(): Promise<PrivateBroker> {
  const dir = await mkdtemp(join(tmpdir(), 'private-kafka-'));
  const [port, controllerPort] = await freePorts(2);
  const env = {
    ...process.env,
    INFRA_DIR: dir,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
  };
  const infra = (command: 'up' | 'down'): Promise<void> =>
    new Promise((resolve, reject) => {
      execFile(
        'bash',
        ['scripts/infra/infra.sh', command, 'kafka'],
        { cwd: repoRoot, env, timeout: 180_000 },
        (error, _stdout, stderr) =>
          error
            ? reject(new Error(`infra.sh ${command} kafka failed: ${error.message}\n${stderr}`))
            : resolve(),
      );
    });
  let running = false;
  const broker: PrivateBroker = {
    brokers: [`127.0.0.1:${port}`],
    get running() {
      return running;
    },
    async stop() {
      await infra('down');
      running = false;
    },
    async start() {
      await infra('up');
      running = true;
    },
    async destroy() {
      await infra('down').catch(() => undefined);
      running = false;
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await broker.start();
  } catch (error) {
    await broker.destroy();
    throw error;
  }
  return broker;
}

/** Ports free right now (the OS picks them; a race with another process is unlikely). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
