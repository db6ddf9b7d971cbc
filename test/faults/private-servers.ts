/**
 * Servers of one test's own (scripts/infra/infra.sh with its own INFRA_DIR and free ports): a Kafka
 * broker, a PostgreSQL cluster or a FerretDB, which the test may stop and start again without
 * disturbing the shared servers other test files use in parallel.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface PrivateServer {
  readonly running: boolean;
  /** Stops the server (SIGTERM, or PostgreSQL's fast shutdown, as an operator would). Data is kept. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and data; resolves once it answers. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

export interface PrivateBroker extends PrivateServer {
  readonly brokers: readonly string[];
}

export interface PrivateDatabaseServer extends PrivateServer {
  /** postgres://…/commerce or mongodb://…/commerce: the server's URL with a database that exists. */
  readonly url: string;
}

/** Starts a private single-node Kafka (KRaft) on free ports; resolves once it answers. */
export async function startPrivateBroker(): Promise<PrivateBroker> {
  const [port, controllerPort] = await freePorts(2);
  const server = await startPrivateServer('kafka', {
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
  });
  return withFields(server, { brokers: [`127.0.0.1:${port}`] });
}

/** Starts a private PostgreSQL 15 cluster (initdb into a temporary folder) on a free port. */
export async function startPrivatePostgres(): Promise<PrivateDatabaseServer> {
  const [port] = await freePorts(1);
  const server = await startPrivateServer('postgres', { PG_PORT: String(port) });
  return withFields(server, { url: `postgres://postgres@127.0.0.1:${port}/commerce` });
}

/** Starts a private FerretDB (the cached binary, SQLite data in a temporary folder) on a free port. */
export async function startPrivateFerretDb(): Promise<PrivateDatabaseServer> {
  const [port] = await freePorts(1);
  const server = await startPrivateServer('ferretdb', { MONGO_PORT: String(port) });
  return withFields(server, { url: `mongodb://127.0.0.1:${port}/commerce` });
}

async function startPrivateServer(
  service: 'kafka' | 'postgres' | 'ferretdb',
  ports: Readonly<Record<string, string>>,
): Promise<PrivateServer> {
  const dir = await mkdtemp(join(tmpdir(), `private-${service}-`));
  const env = { ...process.env, ...ports, INFRA_DIR: dir };
  const infra = (command: 'up' | 'down'): Promise<void> =>
    new Promise((resolve, reject) => {
      execFile(
        'bash',
        ['scripts/infra/infra.sh', command, service],
        { cwd: repoRoot, env, timeout: 180_000 },
        (error, _stdout, stderr) =>
          error
            ? reject(new Error(`infra.sh ${command} ${service} failed: ${error.message}\n${stderr}`))
            : resolve(),
      );
    });
  let running = false;
  const server: PrivateServer = {
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
    await server.start();
  } catch (error) {
    await server.destroy();
    throw error;
  }
  return server;
}

/** The server with extra read-only fields, keeping its `running` getter live. */
function withFields<T extends object>(server: PrivateServer, fields: T): PrivateServer & T {
  return Object.defineProperties(server, Object.getOwnPropertyDescriptors(fields)) as PrivateServer & T;
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
