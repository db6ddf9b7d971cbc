import { ConfigError, readInt, readString, type Env, type JwtConfig } from '@commerce/common/config';
import type { AdminAccount } from '@commerce/common/server';
import { urlVariable } from '@commerce/gateway';
import { supergraphPath } from './composition.js';
import type { StartDatabases } from './databases.js';
import { subgraphs, type ListedSubgraph, type SubgraphName } from './subgraphs.js';

/**
 * START_PROCESSES: how `npm start` runs on the servers. `per-service` (default): the gateway and
 * every subgraph each in a child process of its own (every core works); `one`: all in this process.
 */
export type StartProcesses = 'one' | 'per-service';

/** START_PROCESSES for `mode`; the embedded mode runs in one process only. ConfigError naming it otherwise. */
export function readStartProcesses(env: Env, mode: 'embedded' | 'servers'): StartProcesses {
  const raw = env['START_PROCESSES']?.trim();
  if (!raw) return mode === 'servers' ? 'per-service' : 'one';
  if (raw !== 'one' && raw !== 'per-service')
    throw new ConfigError(`START_PROCESSES must be one or per-service, got "${raw}"`);
  if (mode === 'embedded' && raw === 'per-service') {
    throw new ConfigError(
      'START_PROCESSES=per-service needs the servers (KAFKA_BROKERS, DATABASE_URL, MONGODB_URL): ' +
        'the embedded mode runs in one process (its data folder lock and in-process event bus)',
    );
  }
  return raw;
}

/** USERS_PORT for `users`: the port `npm start` gives that subgraph on the servers. */
export function portVariable(subgraphName: string): string {
  return urlVariable(subgraphName).replace(/_URL$/, '_PORT');
}

/** Each listed subgraph's port on the servers: `<NAME>_PORT`, default its descriptor's; 0 picks a free one. */
export function readSubgraphPorts(env: Env): Readonly<Record<SubgraphName, number>> {
  const ports = subgraphs.map(({ name, port }) => [name, readInt(env, portVariable(name), port)] as const);
  // fromEntries types its keys as string; every name of the list is a key here.
  return Object.freeze(Object.fromEntries(ports) as Record<SubgraphName, number>);
}

/** START_DATABASE_PREFIX: `npm start`'s databases are `<prefix>_users`, …, `<prefix>_gateway`. */
export function readDatabasePrefix(env: Env): string {
  const prefix = readString(env, 'START_DATABASE_PREFIX', 'commerce');
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(prefix)) {
    throw new ConfigError(
      `START_DATABASE_PREFIX must be lower-case letters, digits and _ (at most 41, a letter first), got "${prefix}"`,
    );
  }
  return prefix;
}

/** What `npm start` resolved once, for its child processes. */
export interface ServiceSettings {
  /** With the private key: only the subgraphs whose descriptor `signsTokens` receive it. */
  readonly jwt: JwtConfig;
  /** Seeded by the subgraph that signs tokens. */
  readonly admin: AdminAccount;
  readonly databases: StartDatabases;
  readonly ports: Readonly<Record<SubgraphName, number>>;
}

/**
 * Read by `npm start` itself and resolved into the settings above: no child reads them. (The key
 * files are read into JWT_PUBLIC_KEY / JWT_PRIVATE_KEY; the admin password file into ADMIN_PASSWORD.)
 */
const resolvedVariables = [
  'START_PROCESSES',
  'START_DATABASE_PREFIX',
  'JWT_PUBLIC_KEY_FILE',
  'JWT_PRIVATE_KEY',
  'JWT_PRIVATE_KEY_FILE',
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'ADMIN_PASSWORD_FILE',
  ...subgraphs.map(({ name }) => portVariable(name)),
];

function baseEnv(env: Env, settings: ServiceSettings): Record<string, string | undefined> {
  const child: Record<string, string | undefined> = { ...env, JWT_PUBLIC_KEY: settings.jwt.publicKey };
  for (const name of resolvedVariables) delete child[name];
  return child;
}

/**
 * The environment of one subgraph's process under `npm start`: `env` (KAFKA_*, ORDER_*, LOG_*, …),
 * with its own port on loopback, the URL of its own database (and not the other server's), the
 * public key; the private key and the admin only for the subgraph that signs tokens.
 */
export function subgraphServiceEnv(
  subgraph: Pick<ListedSubgraph, 'name' | 'server' | 'signsTokens'>,
  env: Env,
  settings: ServiceSettings,
): Env {
  const child = baseEnv(env, settings);
  delete child['HOST'];
  child['PORT'] = String(settings.ports[subgraph.name]);
  const [own, other] =
    subgraph.server === 'postgres' ? ['DATABASE_URL', 'MONGODB_URL'] : ['MONGODB_URL', 'DATABASE_URL'];
  child[own] = settings.databases.subgraphs[subgraph.name];
  delete child[other];
  if (subgraph.signsTokens) {
    if (settings.jwt.privateKey === null)
      throw new ConfigError('Missing environment variable JWT_PRIVATE_KEY');
    child['JWT_PRIVATE_KEY'] = settings.jwt.privateKey;
    child['ADMIN_EMAIL'] = settings.admin.email;
    child['ADMIN_PASSWORD'] = settings.admin.password;
  }
  return Object.freeze(child);
}

/**
 * The environment of the gateway's process under `npm start`: `env` (PORT, HOST, the edge's
 * RATE_LIMIT_*, TRUSTED_DOCUMENTS, ENTITY_CACHE, …), the running subgraphs' URLs, the committed
 * supergraph, the public key and its rate-limit database.
 */
export function gatewayServiceEnv(
  env: Env,
  settings: ServiceSettings,
  subgraphUrls: Readonly<Record<SubgraphName, string>>,
): Env {
  const child = baseEnv(env, settings);
  child['DATABASE_URL'] = settings.databases.gateway;
  delete child['MONGODB_URL'];
  child['SUPERGRAPH_PATH'] = supergraphPath;
  for (const { name } of subgraphs) child[urlVariable(name)] = subgraphUrls[name];
  return Object.freeze(child);
}
