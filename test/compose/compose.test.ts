/**
 * docker-compose.yml, the Dockerfile and .dockerignore, checked without a Docker engine: the file is
 * read the way Compose reads it, and each app service's environment is fed to that service's real
 * configuration loader, with the JWT key files produced by the compose file's own jwt-keys command.
 * (`scripts/compose-check/validate.sh` adds the `docker-compose config -q` check where apt is at hand.)
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { signAccessToken, verifyAccessToken } from '@commerce/common/auth';
import type { Env, JwtConfig } from '@commerce/common/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../gateway/src/config.js';
import { loadConfig as loadInventoryConfig } from '../../subgraphs/inventory/src/config.js';
import { loadConfig as loadOrdersConfig } from '../../subgraphs/orders/src/config.js';
import { loadConfig as loadProductsConfig } from '../../subgraphs/products/src/config.js';
import { loadConfig as loadUsersConfig } from '../../subgraphs/users/src/config.js';
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

const appPorts = { gateway: 4000, users: 4001, products: 4002, inventory: 4003, orders: 4004 } as const;
type AppService = keyof typeof appPorts;
const appServices = Object.keys(appPorts) as AppService[];
const subgraphs = ['users', 'products', 'inventory', 'orders'] as const;
const infraServices = ['kafka', 'postgres', 'mongo'] as const;

/** What the tests need from each loader's result. */
interface Loaded {
  readonly port: number;
  readonly host: string;
  readonly jwt: JwtConfig;
  readonly kafkaBrokers: readonly string[] | undefined;
  /** DATABASE_URL or MONGODB_URL as the loader read it. */
  readonly databaseUrl: string | undefined;
}

const loaders: Readonly<Record<AppService, (env: Env) => Loaded>> = {
  users: (env) => {
    const config = loadUsersConfig(env);
    return { ...config, kafkaBrokers: config.kafka.brokers };
  },
  inventory: (env) => {
    const config = loadInventoryConfig(env);
    return { ...config, kafkaBrokers: config.kafka.brokers };
  },
  products: (env) => {
    const config = loadProductsConfig(env);
    return { ...config, kafkaBrokers: config.kafka.brokers, databaseUrl: config.mongodbUrl };
  },
  orders: (env) => {
    const config = loadOrdersConfig(env);
    return { ...config, kafkaBrokers: config.kafka.brokers, databaseUrl: config.mongodbUrl };
  },
  gateway: (env) => ({ ...loadGatewayConfig(env), kafkaBrokers: undefined, databaseUrl: undefined }),
};

/** Variables a service reads outside its config loader, with the file that reads them. */
const readOutsideLoaders: Readonly<Record<string, string>> = { LOG_LEVEL: 'common/src/logger.ts' };

let compose: ComposeFile;
let work: string;

function service(name: string): Service {
  const found = compose.services[name];
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

/** Calls the service's loader with exactly its compose environment; records the names it reads. */
function load(name: AppService): { config: Loaded; read: ReadonlySet<string> } {
  const read = new Set<string>();
  // DATA_DIR only matters when no key is configured (the loader would create a dev key pair there);
  // point it at an empty folder so that case shows up instead of writing into the repository.
  const devData = join(work, `dev-data-${name}`);
  const env = new Proxy(
    { DATA_DIR: devData, ...hostEnvironment(service(name)) },
    {
      get(target, key, receiver): unknown {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key, receiver);
      },
    },
  );
  const config = loaders[name](env);
  expect(existsSync(devData), `${name} fell back to a generated dev key pair`).toBe(false);
  return { config, read };
}

function healthcheckScript(svc: Service): string {
  const test = svc.healthcheck ?? [];
  expect(test.slice(0, 3), `${svc.name} healthcheck`).toEqual(['CMD', 'node', '--eval']);
  return test[3] ?? '';
}

beforeAll(() => {
  compose = readComposeFile(composePath);
  work = mkdtempSync(join(tmpdir(), 'compose-test-'));
  // Run the compose file's own jwt-keys command, on folders standing in for its volumes.
  const keys = service('jwt-keys');
  for (const mount of keys.volumes) mkdirSync(join(work, 'volumes', mount.source), { recursive: true });
  const [program, ...args] = keys.command ?? [];
  expect(program).toBe('node');
  // KEYS_OWNER_UID hands the files to the image's `node` user; not needed (nor allowed) here.
  execFileSync(process.execPath, args, {
    env: { ...hostEnvironment(keys), KEYS_OWNER_UID: '' },
    stdio: 'pipe',
  });
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
  it('has kafka, postgres, mongo, the four subgraphs and the gateway, with named data volumes', () => {
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
      const port = appPorts[name];
      expect(svc.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(svc.image).toBe(service('gateway').image);
      expect(svc.environment['PORT']).toBe(String(port));
      expect(svc.environment['HOST']).toBe('0.0.0.0');
      expect(svc.ports).toEqual([{ hostIp: '127.0.0.1', published: port, target: port }]);
      expect(healthcheckScript(svc)).toContain(`'http://127.0.0.1:${port}/health'`);
    },
  );

  it.each(appServices)('%s: runs its own main.ts, which @commerce/<name>/main also names', (name) => {
    const svc = service(name);
    const main = name === 'gateway' ? 'gateway/src/main.ts' : `subgraphs/${name}/src/main.ts`;
    expect(svc.command).toEqual(['node', '--import', 'tsx', main]);
    expect(existsSync(join(root, main))).toBe(true);
    // The image's default command (SERVICE=<name>) imports the package export instead.
    const resolved = createRequire(join(root, 'package.json')).resolve(`@commerce/${name}/main`);
    expect(relative(root, resolved)).toBe(main);
  });

  it.each(appServices)(
    '%s: its config loader accepts its environment and reads every variable set',
    (name) => {
      const { config, read } = load(name);
      expect(config.port).toBe(appPorts[name]);
      expect(config.host).toBe('0.0.0.0');
      const unread = Object.keys(service(name).environment).filter(
        (variable) => !read.has(variable) && !(variable in readOutsideLoaders),
      );
      expect(unread, `${name} sets variables its loader never reads (typos?)`).toEqual([]);
      for (const [variable, file] of Object.entries(readOutsideLoaders))
        expect(readFileSync(join(root, file), 'utf8')).toContain(`'${variable}'`);
    },
  );

  it.each(subgraphs)('%s: depends, healthy, on the servers its URLs name', (name) => {
    const svc = service(name);
    const { config } = load(name);
    const servers = [
      ...(config.kafkaBrokers ?? []).map((broker) => broker.split(':')[0] ?? ''),
      parseServerUrl(config.databaseUrl ?? '').host,
    ];
    expect(servers).toContain('kafka');
    expect(servers).toContain(name === 'users' || name === 'inventory' ? 'postgres' : 'mongo');
    for (const server of servers) {
      expect(svc.dependsOn[server], `${name} -> ${server}`).toBe('service_healthy');
      expect(service(server).healthcheck, `${server} has a healthcheck`).toBeDefined();
    }
  });

  it('routes the gateway to the subgraph services, and starts it once they are healthy', () => {
    const gateway = service('gateway');
    const { subgraphUrls } = loadGatewayConfig(hostEnvironment(gateway));
    for (const name of subgraphs) {
      expect(subgraphUrls[name]).toBe(`http://${name}:${appPorts[name]}/graphql`);
      expect(gateway.dependsOn[name]).toBe('service_healthy');
    }
  });

  it('gives users and inventory their own PostgreSQL databases, created before they start', () => {
    const users = parseServerUrl(load('users').config.databaseUrl ?? '');
    const inventory = parseServerUrl(load('inventory').config.databaseUrl ?? '');
    expect(users.database).not.toBe(inventory.database);
    const postgres = service('postgres').environment;
    const init = service('postgres-init');
    for (const url of [users, inventory]) {
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
    for (const name of ['users', 'inventory'])
      expect(service(name).dependsOn['postgres-init']).toBe('service_completed_successfully');
  });

  it('passes POSTGRES_PASSWORD from the shell to the server, the init job and both URLs', () => {
    const custom = readComposeFile(composePath, { POSTGRES_PASSWORD: 's3cret' });
    const password = (name: string): string =>
      parseServerUrl(custom.services[name]?.environment['DATABASE_URL'] ?? '').password;
    expect(custom.services['postgres']?.environment['POSTGRES_PASSWORD']).toBe('s3cret');
    expect(custom.services['postgres-init']?.environment['PGPASSWORD']).toBe('s3cret');
    expect([password('users'), password('inventory')]).toEqual(['s3cret', 's3cret']);
  });

  it('gives products and orders their own MongoDB databases', () => {
    const products = parseServerUrl(load('products').config.databaseUrl ?? '');
    const orders = parseServerUrl(load('orders').config.databaseUrl ?? '');
    expect(products).toMatchObject({ host: 'mongo', port: 27017 });
    expect(orders).toMatchObject({ host: 'mongo', port: 27017 });
    expect(products.database).not.toBe(orders.database);
  });

  it('shares one key pair: every service verifies what users signs; only users holds the private key', () => {
    const users = load('users').config.jwt;
    expect(users.privateKey).toContain('PRIVATE KEY');
    const token = signAccessToken(
      { userId: 'u1', email: 'a@example.com', role: 'CUSTOMER' },
      users.privateKey ?? '',
      users.accessTokenTtlSeconds,
    );
    for (const name of appServices) {
      const { jwt } = load(name).config;
      expect(jwt.publicKey, name).toBe(users.publicKey);
      expect(verifyAccessToken(token, jwt.publicKey).userId).toBe('u1');
      if (name !== 'users') {
        expect(jwt.privateKey, `${name} has no private key`).toBeNull();
        expect(service(name).volumes.map((mount) => mount.source)).not.toContain('jwt-private');
      }
      expect(service(name).volumes.every((mount) => mount.readOnly)).toBe(true);
      expect(service(name).dependsOn['jwt-keys']).toBe('service_completed_successfully');
    }
    expect(service('jwt-keys').restart).toBe('no');
  });

  it('sets ADMIN_EMAIL and ADMIN_PASSWORD for users, overridable from the shell', () => {
    const env = service('users').environment;
    expect(env['ADMIN_EMAIL']).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(env['ADMIN_PASSWORD']).not.toBe('');
    const custom = readComposeFile(composePath, { ADMIN_EMAIL: 'root@example.org', ADMIN_PASSWORD: 'p' });
    expect(custom.services['users']?.environment).toMatchObject({
      ADMIN_EMAIL: 'root@example.org',
      ADMIN_PASSWORD: 'p',
    });
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
        expect(healthcheckScript(service(name)).replace(`:${appPorts[name]}/`, ':4000/')).toBe(script);
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

  it('has a deps stage on node:24-slim running npm ci, and a runtime stage on node:24-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(deps?.base).toBe('node:24-slim');
    expect(runtime?.base).toBe('node:24-slim');
    expect(deps?.body.some(([keyword, args]) => keyword === 'RUN' && /\bnpm ci\b/.test(args))).toBe(true);
    for (const manifest of [
      'package.json',
      'package-lock.json',
      ...['common', 'gateway'].map((dir) => `${dir}/`),
    ])
      expect(deps?.body.some(([keyword, args]) => keyword === 'COPY' && args.includes(manifest))).toBe(true);
    for (const name of subgraphs)
      expect(deps?.body).toContainEqual(['COPY', `subgraphs/${name}/package.json subgraphs/${name}/`]);
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
      'schema',
    ])
      expect(copied, path).toContain(path);
  });

  it('runs as the non-root node user, the default service from the SERVICE build arg', () => {
    const users = runtime?.body.filter(([keyword]) => keyword === 'USER').map(([, args]) => args);
    expect(users?.at(-1)).toBe('node');
    expect(runtime?.body).toContainEqual(['ARG', 'SERVICE=gateway']);
    const cmd = runtime?.body.find(([keyword]) => keyword === 'CMD')?.[1] ?? '';
    expect(JSON.parse(cmd)).toEqual(expect.arrayContaining(['node', '--import', 'tsx']));
    expect(cmd).toContain('process.env.SERVICE');
  });

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
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'common',
      'gateway',
      'subgraphs',
      'schema',
    ];
    for (const pattern of patterns) {
      expect(isAbsolute(pattern)).toBe(false);
      expect(needed, pattern).not.toContain(pattern.replace(/\/$/, ''));
    }
  });
});
