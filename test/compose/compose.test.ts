/**
 * docker-compose.yml, the Dockerfile and .dockerignore, checked without a Docker engine against the
 * supergraph's list of subgraphs: the file is read the way Compose reads it, and each app service's
 * environment is fed to the configuration loader its process runs (loadSubgraphServiceConfig with
 * its descriptor, or loadGatewayServiceConfig) with NODE_ENV as the Dockerfile sets it, and with the
 * JWT key files and the admin password produced by the compose file's own jwt-keys and
 * admin-password commands.
 * (`scripts/compose-check/validate.sh` adds the `docker-compose config -q` check where apt is at hand.)
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { signAccessToken, verifyAccessToken } from '@commerce/common/auth';
import type { Env, JwtConfig } from '@commerce/common/config';
import type { AdminAccount, SubgraphDescriptor } from '@commerce/common/server';
import { loadGatewayConfig } from '@commerce/gateway';
import {
  developmentAdmin,
  loadGatewayServiceConfig,
  loadSubgraphServiceConfig,
  serviceNames,
  subgraphs,
} from '@commerce/supergraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  interpolate,
  parseServerUrl,
  readComposeFile,
  type ComposeFile,
  type Service,
} from './compose-file.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const composePath = join(root, 'docker-compose.yml');
const run = promisify(execFile);

/** The one entry point of every app process: `scripts/service.ts <name>`. */
const entryPoint = 'scripts/service.ts';
/** The typed client's persisted-documents manifest: the gateway's trusted documents (TRUSTED_DOCUMENTS). */
const trustedDocuments = 'test/client/generated/persisted-documents.json';
const gatewayPort = 4000;
const subgraphNames: readonly string[] = subgraphs.map((subgraph) => subgraph.name);
/** The app services: the gateway and every subgraph of the list, each a compose service of that name. */
const appServices: readonly string[] = ['gateway', ...subgraphNames];
const infraServices = ['kafka', 'postgres', 'mongo'] as const;
/** The compose service running each kind of server a descriptor can name. */
const serverServices: Readonly<Record<SubgraphDescriptor['server'], string>> = {
  postgres: 'postgres',
  mongodb: 'mongo',
};

function descriptor(name: string): SubgraphDescriptor {
  const found = subgraphs.find((subgraph) => subgraph.name === name);
  if (!found) throw new Error(`supergraph/src/subgraphs.ts lists no subgraph "${name}"`);
  return found;
}

/** The gateway's port, or the port of the subgraph's descriptor. */
function appPort(name: string): number {
  return name === 'gateway' ? gatewayPort : descriptor(name).port;
}

/** What the tests need from each loader's result. */
interface Loaded {
  readonly port: number;
  readonly host: string;
  readonly jwt: JwtConfig;
  readonly kafkaBrokers: readonly string[];
  /** DATABASE_URL or MONGODB_URL as the loader read it (the gateway's: its rate-limit counters). */
  readonly databaseUrl: string | undefined;
  readonly admin: AdminAccount | undefined;
}

/** The loader the process of `scripts/service.ts <name>` runs (supergraph/src/service.ts). */
function loadConfig(name: string, env: Env): Loaded {
  if (name === 'gateway') {
    const config = loadGatewayServiceConfig(env);
    return {
      ...config,
      kafkaBrokers: config.kafka.brokers,
      databaseUrl: config.rateLimits.databaseUrl,
      admin: undefined,
    };
  }
  const config = loadSubgraphServiceConfig(descriptor(name), env);
  return { ...config, kafkaBrokers: config.kafka.brokers };
}

/** Variables a service reads outside its config loader, with the file that reads them. */
const readOutsideLoaders: Readonly<Record<string, string>> = { LOG_LEVEL: 'common/src/logger.ts' };

let compose: ComposeFile;
let work: string;

function service(name: string): Service {
  return serviceIn(compose, name);
}

/** A service of the compose file as read with some shell variables (readComposeFile). */
function serviceIn(file: ComposeFile, name: string): Service {
  const found = file.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/**
 * The service's environment as its process would see it, except that every `*_FILE` path is moved
 * from the container to the folder standing in for the volume (or bind mount) that holds it there.
 * A path no mount of that service covers fails: the container could not read it either.
 */
function hostEnvironment(svc: Service): Record<string, string> {
  const env: Record<string, string> = { ...svc.environment };
  for (const [name, path] of Object.entries(svc.environment)) {
    if (!name.endsWith('_FILE')) continue;
    const mount = svc.volumes.find((candidate) => !relative(candidate.target, path).startsWith('..'));
    if (!mount) throw new Error(`${svc.name}: ${name}=${path} is on no volume the service mounts`);
    const named = compose.volumes.includes(mount.source);
    const base = named ? join(work, 'volumes', mount.source) : resolve(root, mount.source);
    env[name] = join(base, relative(mount.target, path));
  }
  return env;
}

/** What the service's process sees: the image's ENV, then its compose environment (hostEnvironment). */
function containerEnvironment(svc: Service): Record<string, string> {
  return { ...imageEnvironment(), ...hostEnvironment(svc) };
}

/** Calls the service's loader with exactly its container environment; records the names it reads. */
function load(name: string): { config: Loaded; read: ReadonlySet<string> } {
  const read = new Set<string>();
  // DATA_DIR only matters when no key is configured (the loader would create a dev key pair there);
  // point it at an empty folder so that case shows up instead of writing into the repository.
  const devData = join(work, `dev-data-${name}`);
  const env = new Proxy(
    { DATA_DIR: devData, ...containerEnvironment(service(name)) },
    {
      get(target, key, receiver): unknown {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key, receiver);
      },
    },
  );
  const config = loadConfig(name, env);
  expect(existsSync(devData), `${name} fell back to a generated dev key pair`).toBe(false);
  return { config, read };
}

function healthcheckScript(svc: Service): string {
  const test = svc.healthcheck ?? [];
  expect(test.slice(0, 3), `${svc.name} healthcheck`).toEqual(['CMD', 'node', '--eval']);
  return test[3] ?? '';
}

/** The one-off jobs that generate secrets into volumes, before the app services start. */
const generators = {
  'jwt-keys': 'KEYS_OWNER_UID',
  'admin-password': 'SECRET_OWNER_UID',
  'metrics-token': 'SECRET_OWNER_UID',
} as const;

/** Runs a generator job's own command on the folders standing in for its volumes; returns its output. */
function runGenerator(name: keyof typeof generators, job: Service = service(name)): string {
  for (const mount of job.volumes) mkdirSync(join(work, 'volumes', mount.source), { recursive: true });
  const [program, ...args] = job.command ?? [];
  expect(program).toBe('node');
  // The owner variable hands the files to the image's `node` user; not needed (nor allowed) here.
  return execFileSync(process.execPath, args, {
    env: { ...hostEnvironment(job), [generators[name]]: '' },
    stdio: 'pipe',
    encoding: 'utf8',
  });
}

beforeAll(() => {
  compose = readComposeFile(composePath);
  work = mkdtempSync(join(tmpdir(), 'compose-test-'));
  runGenerator('jwt-keys');
  runGenerator('admin-password');
  runGenerator('metrics-token');
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('compose file reader', () => {
  it('interpolates like Compose', () => {
    expect(interpolate('a${X:-d}b', {})).toBe('adb');
    expect(interpolate('${X:-d}', { X: '' })).toBe('d');
    expect(interpolate('${X-d}', { X: '' })).toBe('');
    expect(interpolate('$X/${X}', { X: 'v' })).toBe('v/v');
    expect(interpolate('$$X', {})).toBe('$X');
    expect(() => interpolate('${X}', {})).toThrow('X');
    expect(() => interpolate('${X:?set X}', {})).toThrow('set X');
  });
});

describe('docker-compose.yml', () => {
  it('has kafka, postgres, mongo, the listed subgraphs and the gateway, with named data volumes', () => {
    for (const name of [...infraServices, ...appServices])
      expect(Object.keys(compose.services)).toContain(name);
    for (const [name, target] of [
      ['kafka', '/var/lib/kafka/data'],
      ['postgres', '/var/lib/postgresql/data'],
      ['mongo', '/data/db'],
    ] as const) {
      const mount = service(name).volumes.find((candidate) => candidate.target === target);
      expect(mount, `${name} keeps ${target} on a volume`).toBeDefined();
      expect(compose.volumes).toContain(mount?.source);
    }
    expect(service('kafka').environment['KAFKA_LOG_DIRS']).toBe('/var/lib/kafka/data');
  });

  it('interpolates with no variables set: every ${VAR} has a default', () => {
    expect(() => readComposeFile(composePath, {})).not.toThrow();
  });

  it('pins the Kafka image to the version scripts/infra runs', () => {
    const script = readFileSync(join(root, 'scripts/infra/kafka.sh'), 'utf8');
    const version = /^KAFKA_VERSION=\$\{KAFKA_VERSION:-([^}]+)\}/m.exec(script)?.[1];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(service('kafka').image).toBe(`apache/kafka:${version}`);
    expect(service('postgres').image).toBe('postgres:15');
    expect(service('mongo').image).toBe('mongo:7');
  });

  it('runs Kafka as one KRaft node that other containers reach at kafka:9092', () => {
    const env = service('kafka').environment;
    expect(env['KAFKA_PROCESS_ROLES']?.split(',').sort()).toEqual(['broker', 'controller']);
    expect(env['CLUSTER_ID']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(env['KAFKA_ADVERTISED_LISTENERS']?.split(',')).toContain('PLAINTEXT://kafka:9092');
    expect(env['KAFKA_LISTENERS']?.split(',')).toContain('PLAINTEXT://:9092');
    const controller = env['KAFKA_CONTROLLER_LISTENER_NAMES'] ?? '';
    const controllerPort = new RegExp(`${controller}://:(\\d+)`).exec(env['KAFKA_LISTENERS'] ?? '')?.[1];
    expect(env['KAFKA_CONTROLLER_QUORUM_VOTERS']).toBe(`${env['KAFKA_NODE_ID']}@kafka:${controllerPort}`);
    expect(env['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR']).toBe('1');
    expect(service('kafka').healthcheck?.join(' ')).toContain(
      'kafka-broker-api-versions.sh --bootstrap-server localhost:9092',
    );
  });

  it('gives the infrastructure healthchecks (Kafka API versions, pg_isready, a mongosh ping)', () => {
    expect(service('postgres').healthcheck?.join(' ')).toContain('pg_isready');
    expect(service('mongo').healthcheck).toEqual(expect.arrayContaining(['mongosh']));
    expect(service('mongo').healthcheck?.join(' ')).toContain('ping');
  });

  it.each(appServices)(
    '%s: built from the Dockerfile, PORT, published port and /health healthcheck agree',
    (name) => {
      const svc = service(name);
      const port = appPort(name);
      expect(svc.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(svc.image).toBe(service('gateway').image);
      expect(svc.environment['PORT']).toBe(String(port));
      expect(svc.environment['HOST']).toBe('0.0.0.0');
      expect(svc.ports).toEqual([{ hostIp: '127.0.0.1', published: port, target: port }]);
      expect(healthcheckScript(svc)).toContain(`'http://127.0.0.1:${port}/health'`);
    },
  );

  it('runs scripts/service.ts in the gateway and in one service per listed subgraph, and nowhere else', () => {
    expect(existsSync(join(root, entryPoint))).toBe(true);
    const running = Object.values(compose.services)
      .filter((svc) => svc.command?.includes(entryPoint))
      .map((svc) => svc.name);
    expect(running.sort()).toEqual([...appServices].sort());
  });

  it.each(appServices)('%s: runs scripts/service.ts with its own name, a service it starts', (name) => {
    expect(service(name).command).toEqual(['node', '--import', 'tsx', entryPoint, name]);
    expect(serviceNames).toContain(name);
  });

  it.each(appServices)(
    '%s: its config loader accepts its environment and reads every variable set',
    (name) => {
      const { config, read } = load(name);
      expect(config.port).toBe(appPort(name));
      expect(config.host).toBe('0.0.0.0');
      const unread = Object.keys(service(name).environment).filter(
        (variable) => !read.has(variable) && !(variable in readOutsideLoaders),
      );
      expect(unread, `${name} sets variables its loader never reads (typos?)`).toEqual([]);
      for (const [variable, file] of Object.entries(readOutsideLoaders))
        expect(readFileSync(join(root, file), 'utf8')).toContain(`'${variable}'`);
    },
  );

  it.each(subgraphNames)('%s: depends, healthy, on the servers its URLs name', (name) => {
    const svc = service(name);
    const { config } = load(name);
    const servers = [
      ...config.kafkaBrokers.map((broker) => broker.split(':')[0] ?? ''),
      parseServerUrl(config.databaseUrl ?? '').host,
    ];
    expect(servers).toContain('kafka');
    expect(servers).toContain(serverServices[descriptor(name).server]);
    for (const server of servers) {
      expect(svc.dependsOn[server], `${name} -> ${server}`).toBe('service_healthy');
      expect(service(server).healthcheck, `${server} has a healthcheck`).toBeDefined();
    }
  });

  it('routes the gateway to each listed subgraph service, and starts it once they are healthy', () => {
    const gateway = service('gateway');
    const { subgraphUrls } = loadGatewayConfig(hostEnvironment(gateway), subgraphs);
    expect(Object.keys(subgraphUrls).sort()).toEqual([...subgraphNames].sort());
    for (const { name, port } of subgraphs) {
      const url = `http://${name}:${port}/graphql`;
      expect(gateway.environment[`${name.toUpperCase()}_URL`], `${name.toUpperCase()}_URL`).toBe(url);
      expect(subgraphUrls[name]).toBe(url);
      expect(gateway.dependsOn[name]).toBe('service_healthy');
    }
  });

  /** The names of the listed subgraphs whose data lives on that server (at least one). */
  function subgraphsOn(server: SubgraphDescriptor['server']): string[] {
    const names = subgraphs.filter((subgraph) => subgraph.server === server).map(({ name }) => name);
    expect(names.length, `a subgraph uses the ${serverServices[server]} service`).toBeGreaterThan(0);
    return names;
  }

  it('gives each PostgreSQL subgraph its own database there, created before it starts', () => {
    const names = subgraphsOn('postgres');
    const urls = names.map((name) => parseServerUrl(load(name).config.databaseUrl ?? ''));
    expect(new Set(urls.map((url) => url.database)).size, 'one database each').toBe(names.length);
    const postgres = service('postgres').environment;
    const init = service('postgres-init');
    for (const url of urls) {
      expect(url).toMatchObject({ host: 'postgres', port: 5432 });
      expect(url.user).toBe(postgres['POSTGRES_USER']);
      expect(url.password).toBe(postgres['POSTGRES_PASSWORD']);
      expect(init.command?.join(' ')).toContain(`'${url.database}'`);
    }
    expect(init.environment).toMatchObject({
      PGHOST: 'postgres',
      PGUSER: postgres['POSTGRES_USER'],
      PGPASSWORD: postgres['POSTGRES_PASSWORD'],
    });
    expect(init.dependsOn['postgres']).toBe('service_healthy');
    expect(init.restart).toBe('no');
    for (const name of names)
      expect(service(name).dependsOn['postgres-init']).toBe('service_completed_successfully');
  });

  it('gives the gateway a database of its own for the rate-limit counters, created before it starts', () => {
    const gateway = service('gateway');
    const url = parseServerUrl(load('gateway').config.databaseUrl ?? '');
    expect(url).toMatchObject({ host: 'postgres', port: 5432, database: 'commerce_gateway' });
    const subgraphDatabases = subgraphsOn('postgres').map(
      (name) => parseServerUrl(load(name).config.databaseUrl ?? '').database,
    );
    expect(subgraphDatabases).not.toContain(url.database);
    expect(service('postgres-init').command?.join(' ')).toContain(`'${url.database}'`);
    expect(gateway.dependsOn['postgres']).toBe('service_healthy');
    expect(gateway.dependsOn['postgres-init']).toBe('service_completed_successfully');
  });

  it('passes POSTGRES_PASSWORD from the shell to the server, the init job and every DATABASE_URL', () => {
    const names = [...subgraphsOn('postgres'), 'gateway'];
    const custom = readComposeFile(composePath, { POSTGRES_PASSWORD: 's3cret' });
    const password = (name: string): string =>
      parseServerUrl(custom.services[name]?.environment['DATABASE_URL'] ?? '').password;
    expect(custom.services['postgres']?.environment['POSTGRES_PASSWORD']).toBe('s3cret');
    expect(custom.services['postgres-init']?.environment['PGPASSWORD']).toBe('s3cret');
    expect(names.map(password)).toEqual(names.map(() => 's3cret'));
  });

  it('gives each MongoDB subgraph its own database there', () => {
    const names = subgraphsOn('mongodb');
    const urls = names.map((name) => parseServerUrl(load(name).config.databaseUrl ?? ''));
    for (const url of urls) expect(url).toMatchObject({ host: 'mongo', port: 27017 });
    expect(new Set(urls.map((url) => url.database)).size, 'one database each').toBe(names.length);
  });

  const signers: readonly string[] = subgraphs
    .filter((subgraph) => subgraph.signsTokens)
    .map(({ name }) => name);

  it('shares one key pair: every service verifies what a signing subgraph signs; only signers hold the private key', () => {
    expect(signers.length, 'a listed subgraph signs tokens').toBeGreaterThan(0);
    const publicKey = load(signers[0] ?? '').config.jwt.publicKey;
    const tokens = signers.map((name) => {
      const { jwt } = load(name).config;
      expect(jwt.privateKey, `${name} signs tokens`).toContain('PRIVATE KEY');
      return signAccessToken(
        { userId: 'u1', email: 'a@example.com', role: 'CUSTOMER' },
        jwt.privateKey ?? '',
        jwt.accessTokenTtlSeconds,
      );
    });
    for (const name of appServices) {
      const { jwt } = load(name).config;
      expect(jwt.publicKey, name).toBe(publicKey);
      for (const token of tokens) expect(verifyAccessToken(token, jwt.publicKey).userId).toBe('u1');
      if (!signers.includes(name)) {
        expect(jwt.privateKey, `${name} has no private key`).toBeNull();
        expect(service(name).volumes.map((mount) => mount.source)).not.toContain('jwt-private');
      }
      expect(service(name).volumes.every((mount) => mount.readOnly)).toBe(true);
      expect(service(name).dependsOn['jwt-keys']).toBe('service_completed_successfully');
    }
    expect(service('jwt-keys').restart).toBe('no');
  });

  it('gives the subgraph that signs tokens (it seeds the admin) a password generated once, never one written in the file', () => {
    expect(signers.length, 'a listed subgraph signs tokens').toBeGreaterThan(0);
    expect(readFileSync(composePath, 'utf8')).not.toContain(developmentAdmin.password);
    const job = service('admin-password');
    expect(job.restart).toBe('no');
    const file = job.environment['ADMIN_PASSWORD_FILE'] ?? '';
    const generated = readFileSync(hostEnvironment(job)['ADMIN_PASSWORD_FILE'] ?? '', 'utf8').trim();
    expect(generated).toMatch(/^[\w-]{24}$/);
    expect(generated).toMatch(/[A-Za-z]/);
    expect(generated).toMatch(/[0-9]/);
    expect(statSync(hostEnvironment(job)['ADMIN_PASSWORD_FILE'] ?? '').mode & 0o777).toBe(0o600);
    // Once: a second run keeps it, and says where to read it, never what it is.
    const again = runGenerator('admin-password');
    expect(again).toMatch(/exists/);
    expect(again).not.toContain(generated);
    expect(readFileSync(hostEnvironment(job)['ADMIN_PASSWORD_FILE'] ?? '', 'utf8').trim()).toBe(generated);
    for (const name of signers) {
      const svc = service(name);
      expect(svc.environment['ADMIN_EMAIL']).toMatch(/^[^@\s]+@[^@\s]+$/);
      expect(svc.environment['ADMIN_PASSWORD']).toBe('');
      expect(svc.environment['ADMIN_PASSWORD_FILE']).toBe(file);
      expect(svc.dependsOn['admin-password']).toBe('service_completed_successfully');
      // What the users process reads in its container, with NODE_ENV=production from the image.
      expect(load(name).config.admin).toEqual({ email: svc.environment['ADMIN_EMAIL'], password: generated });
    }
    for (const name of appServices.filter((candidate) => !signers.includes(candidate))) {
      expect(load(name).config.admin, `${name} seeds no admin`).toBeUndefined();
      expect(service(name).volumes.map((mount) => mount.source)).not.toContain('admin-password');
    }
  });

  it('takes ADMIN_EMAIL and ADMIN_PASSWORD from the shell instead, and refuses the development default in production', () => {
    const custom = readComposeFile(composePath, {
      ADMIN_EMAIL: 'root@example.org',
      ADMIN_PASSWORD: 'Chosen-pass1',
    });
    const dev = readComposeFile(composePath, { ADMIN_PASSWORD: developmentAdmin.password });
    for (const name of signers) {
      const chosen = serviceIn(custom, name);
      expect(chosen.environment).toMatchObject({
        ADMIN_EMAIL: 'root@example.org',
        ADMIN_PASSWORD: 'Chosen-pass1',
      });
      expect(loadSubgraphServiceConfig(descriptor(name), containerEnvironment(chosen)).admin).toEqual({
        email: 'root@example.org',
        password: 'Chosen-pass1',
      });
      expect(() =>
        loadSubgraphServiceConfig(descriptor(name), containerEnvironment(serviceIn(dev, name))),
      ).toThrow('ADMIN_PASSWORD');
    }
  });

  it('closes introspection unless GRAPHQL_INTROSPECTION is set; /metrics needs the generated token, or METRICS_TOKEN', () => {
    expect(imageEnvironment()['NODE_ENV']).toBe('production');
    const job = service('metrics-token');
    expect(job.restart).toBe('no');
    const tokenFile = hostEnvironment(job)['METRICS_TOKEN_FILE'] ?? '';
    const generated = readFileSync(tokenFile, 'utf8').trim();
    expect(generated).toMatch(/^[\w-]{32}$/);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o640);
    // Once: a second run keeps it, and never prints it.
    const again = runGenerator('metrics-token');
    expect(again).toMatch(/exists/);
    expect(again).not.toContain(generated);
    const gateway = service('gateway');
    expect(gateway.environment['METRICS_TOKEN_FILE']).toBe(job.environment['METRICS_TOKEN_FILE']);
    expect(gateway.dependsOn['metrics-token']).toBe('service_completed_successfully');
    expect(loadGatewayConfig(containerEnvironment(gateway), subgraphs).exposure).toEqual({
      introspection: false,
      metrics: { bearerToken: generated },
    });
    // METRICS_TOKEN from the shell replaces the file's token, for the gateway and Prometheus alike.
    const custom = readComposeFile(composePath, {
      GRAPHQL_INTROSPECTION: 'true',
      METRICS_TOKEN: 'scrape-me',
    });
    runGenerator('metrics-token', serviceIn(custom, 'metrics-token'));
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe('scrape-me');
    expect(loadGatewayConfig(containerEnvironment(serviceIn(custom, 'gateway')), subgraphs).exposure).toEqual(
      {
        introspection: true,
        metrics: { bearerToken: 'scrape-me' },
      },
    );
    runGenerator('metrics-token');
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe('scrape-me');
  });

  it('only ever depends on services that exist, with a healthcheck for service_healthy', () => {
    for (const svc of Object.values(compose.services)) {
      for (const [target, condition] of Object.entries(svc.dependsOn)) {
        expect(compose.services[target], `${svc.name} -> ${target}`).toBeDefined();
        if (condition === 'service_healthy') expect(service(target).healthcheck).toBeDefined();
        else expect(condition).toBe('service_completed_successfully');
      }
    }
  });

  describe('the app healthcheck command', () => {
    let server: Server;
    let status = 200;
    let url = '';

    beforeAll(async () => {
      server = createServer((request, response) => {
        response.writeHead(request.url === '/health' ? status : 404).end('{}');
      });
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
    });

    afterAll(async () => {
      await new Promise((closed) => server.close(closed));
    });

    const probe = async (target: string): Promise<number> => {
      const script = healthcheckScript(service('gateway')).replace('http://127.0.0.1:4000/health', target);
      try {
        await run(process.execPath, ['--eval', script], { timeout: 10_000 });
        return 0;
      } catch (error) {
        return (error as { code?: number }).code ?? -1;
      }
    };

    it('is the same for every app service but the port', () => {
      const script = healthcheckScript(service('gateway'));
      for (const name of appServices)
        expect(healthcheckScript(service(name)).replace(`:${appPort(name)}/`, ':4000/')).toBe(script);
    });

    it('exits 0 on 200, 1 on 503 and 1 when nothing listens', async () => {
      status = 200;
      expect(await probe(url)).toBe(0);
      status = 503;
      expect(await probe(url)).toBe(1);
      expect(await probe('http://127.0.0.1:1/health')).toBe(1);
    });
  });
});

/** The Dockerfile's instructions: [keyword, arguments] after joining continuation lines. */
function dockerfileInstructions(): [string, string][] {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replaceAll(/\\\n/g, ' ');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return [keyword.toUpperCase(), rest.join(' ')];
    });
}

/** The variables the runtime image sets (`ENV` of its last stage): what every container starts with. */
function imageEnvironment(): Record<string, string> {
  const instructions = dockerfileInstructions();
  const runtime = instructions.slice(instructions.map(([keyword]) => keyword).lastIndexOf('FROM'));
  const env: Record<string, string> = {};
  for (const [keyword, args] of runtime) {
    if (keyword !== 'ENV') continue;
    for (const assignment of args.split(/\s+/)) {
      const [name = '', value = ''] = assignment.split('=');
      // A build argument's value (SERVICE=${SERVICE}) is not known here.
      if (name && !value.includes('$')) env[name] = value;
    }
  }
  return env;
}

describe('Dockerfile', () => {
  const instructions = dockerfileInstructions();
  const stages: { base: string; name: string; body: [string, string][] }[] = [];
  const globalArgs = new Map<string, string>();
  for (const [keyword, args] of instructions) {
    if (keyword === 'FROM') {
      const [image = '', , name = ''] = args.split(/\s+/);
      const base = image.replace(/^\$\{(\w+)\}$/, (_match, arg: string) => globalArgs.get(arg) ?? image);
      stages.push({ base, name: name.toLowerCase(), body: [] });
    } else if (stages.length === 0 && keyword === 'ARG') {
      const [name = '', value = ''] = args.split('=');
      globalArgs.set(name, value);
    } else {
      stages.at(-1)?.body.push([keyword, args]);
    }
  }
  const deps = stages.find((stage) => stage.name === 'deps');
  const runtime = stages.at(-1);
  const cmd = runtime?.body.find(([keyword]) => keyword === 'CMD')?.[1] ?? '';

  it('has a deps stage on node:24-slim running npm ci, and a runtime stage on node:24-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(deps?.base).toBe('node:24-slim');
    expect(runtime?.base).toBe('node:24-slim');
    expect(deps?.body.some(([keyword, args]) => keyword === 'RUN' && /\bnpm ci\b/.test(args))).toBe(true);
    for (const manifest of [
      'package.json',
      'package-lock.json',
      ...['common', 'gateway', 'supergraph'].map((dir) => `${dir}/`),
    ])
      expect(deps?.body.some(([keyword, args]) => keyword === 'COPY' && args.includes(manifest))).toBe(true);
    for (const name of subgraphNames)
      expect(deps?.body).toContainEqual(['COPY', `subgraphs/${name}/package.json subgraphs/${name}/`]);
    // npm ci needs the manifest of every workspace the lockfile names.
    for (const workspace of workspaces())
      expect(deps?.body).toContainEqual(['COPY', `${workspace}/package.json ${workspace}/`]);
  });

  it('copies node_modules from deps and the sources the services run into the runtime stage', () => {
    const copies = runtime?.body.filter(([keyword]) => keyword === 'COPY').map(([, args]) => args) ?? [];
    expect(copies).toContain('--from=deps /app/node_modules ./node_modules');
    const copied = copies.flatMap((args) => args.split(/\s+/).slice(0, -1));
    for (const path of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'common',
      'gateway',
      'subgraphs',
      'supergraph',
      'schema',
      entryPoint,
      trustedDocuments,
    ])
      expect(copied, path).toContain(path);
    // node_modules/@commerce/* link to the workspace folders: each must be in the image.
    for (const workspace of workspaces())
      expect(
        ancestorsOrSelf(workspace).some((path) => copied.includes(path)),
        workspace,
      ).toBe(true);
  });

  it('runs as the non-root node user, by default scripts/service.ts for the SERVICE build arg', () => {
    const users = runtime?.body.filter(([keyword]) => keyword === 'USER').map(([, args]) => args);
    expect(users?.at(-1)).toBe('node');
    expect(runtime?.body).toContainEqual(['ARG', 'SERVICE=gateway']);
    expect(
      runtime?.body.some(
        ([keyword, args]) => keyword === 'ENV' && /(^|\s)SERVICE=\$\{SERVICE\}(\s|$)/.test(args),
      ),
    ).toBe(true);
    // Exec form, so node is PID 1; with no argument, service.ts takes its name from SERVICE.
    expect(JSON.parse(cmd)).toEqual(['node', '--import', 'tsx', entryPoint]);
  });

  it('starts, with its default command, the service SERVICE names', async () => {
    const [program, ...args] = JSON.parse(cmd) as string[];
    expect(program).toBe('node');
    const outcome = await run(process.execPath, args, {
      cwd: root,
      env: { ...process.env, SERVICE: 'no-such-service', LOG_LEVEL: 'info' },
      timeout: 60_000,
    }).then(
      () => ({ code: 0, output: '' }),
      (error: unknown) => {
        const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
        return { code: code ?? -1, output: `${stdout ?? ''}${stderr ?? ''}` };
      },
    );
    expect(outcome.code).toBe(1);
    expect(outcome.output).toMatch(/Unknown service \\?"no-such-service\\?"/);
  }, 90_000);

  it('bakes in no secrets', () => {
    for (const [keyword, args] of instructions) {
      if (keyword === 'ENV' || keyword === 'ARG')
        expect(args, `${keyword} ${args}`).not.toMatch(/PASSWORD|SECRET|PRIVATE|TOKEN|JWT_|DATABASE_URL/i);
    }
    expect(instructions.some(([keyword, args]) => keyword === 'COPY' && /\.env\b|\.pem\b/.test(args))).toBe(
      false,
    );
  });
});

describe('.dockerignore', () => {
  const patterns = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it('keeps node_modules, .git, .env and local state out of the build context', () => {
    for (const pattern of ['**/node_modules', '.git', '.env', '.infra', '.tools', 'data'])
      expect(patterns).toContain(pattern);
  });

  it('keeps what the image copies', () => {
    // Every source of a COPY from the build context, and the paths the runtime needs.
    const copied = dockerfileInstructions()
      .filter(([keyword, args]) => keyword === 'COPY' && !args.startsWith('--from='))
      .flatMap(([, args]) => args.split(/\s+/).slice(0, -1));
    const needed = [
      ...copied,
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'common',
      'gateway',
      'subgraphs',
      'supergraph',
      'schema',
      entryPoint,
      trustedDocuments,
    ];
    for (const pattern of patterns) expect(isAbsolute(pattern.replace(/^!/, ''))).toBe(false);
    for (const path of needed)
      expect(keptInContext(path, patterns), `.dockerignore leaves out ${path}`).toBe(true);
  });
});

/**
 * Whether the build context keeps `path`: the last pattern naming it or one of its folders decides
 * (ignoring a folder ignores what is in it; a `!` pattern keeps, e.g. one file of an ignored folder).
 */
function keptInContext(path: string, patterns: readonly string[]): boolean {
  let kept = true;
  for (const pattern of patterns) {
    const exception = pattern.startsWith('!');
    const name = pattern.replace(/^!/, '').replace(/\/$/, '');
    if (ancestorsOrSelf(path).includes(name)) kept = exception;
  }
  return kept;
}

/** The workspaces of the root package.json (e.g. `subgraphs/users`). */
function workspaces(): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: unknown };
  const list = manifest.workspaces;
  if (!Array.isArray(list) || !list.every((item): item is string => typeof item === 'string'))
    throw new Error('package.json: workspaces is not a list of folders');
  expect(list.length).toBeGreaterThan(0);
  // A `folder/*` pattern names every subfolder that has a package.json, as npm reads it.
  return list.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter(
            (entry) =>
              entry.isDirectory() && existsSync(join(root, pattern.slice(0, -2), entry.name, 'package.json')),
          )
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern],
  );
}

/** `a/b/c` -> ['a/b/c', 'a/b', 'a']. */
function ancestorsOrSelf(path: string): string[] {
  const paths: string[] = [];
  for (let current = path.replace(/\/$/, ''); current !== '.' && current !== ''; current = dirname(current))
    paths.push(current);
  return paths;
}
