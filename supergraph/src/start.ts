import { resolve } from 'node:path';
import {
  ConfigError,
  readInt,
  readJwtConfig,
  readKafkaConfig,
  readString,
  type Env,
} from '@commerce/common/config';
import type { Logger } from '@commerce/common/logger';
import {
  loadRateLimitConfig,
  readEntityCache,
  readGatewayExposure,
  readOperationLimits,
  readTrustedDocuments,
} from '@commerce/gateway';
import { adminBannerLine, readStartAdmin } from './admin-account.js';
import { startEmbeddedSupergraph } from './embedded.js';
import { ensureStartDatabases } from './databases.js';
import { startServerSupergraph } from './on-servers.js';
import { readDatabasePrefix, readStartProcesses, readSubgraphPorts } from './processes.js';
import { readOrderPolicy } from './service-config.js';
import { startSupervisedSupergraph } from './supervisor.js';

/** The variables that switch `npm start` from the embedded mode to the servers. */
export const serverVariables = ['KAFKA_BROKERS', 'DATABASE_URL', 'MONGODB_URL'] as const;

/** 'embedded' when none of the server variables is set, 'servers' when all are; else ConfigError. */
export function startMode(env: Env): 'embedded' | 'servers' {
  const set = serverVariables.filter((name) => env[name]?.trim());
  if (set.length === 0) return 'embedded';
  if (set.length === serverVariables.length) return 'servers';
  const missing = serverVariables.filter((name) => !set.includes(name)).join(', ');
  throw new ConfigError(
    `${set.join(', ')} set but not ${missing}: set all three to run on servers ` +
      '(e.g. `set -a; . .infra/env; set +a` after `npm run infra:up`), or none for the embedded mode',
  );
}

/** What `npm start` started: how to stop it, and the lines to print for the person who started it. */
export interface StartedSupergraph {
  readonly url: string;
  readonly banner: string;
  /**
   * START_PROCESSES=per-service only: rejects when a service's process exits on its own (the others
   * are stopped by then); `npm start` then exits non-zero.
   */
  readonly failed?: Promise<never>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** The one-service entry point (scripts/service.ts) that START_PROCESSES=per-service forks per service. */
  readonly serviceEntry: string;
}

/**
 * `npm start`: the whole supergraph, in this process or (on the servers, by default) a process per service.
 * - None of KAFKA_BROKERS, DATABASE_URL, MONGODB_URL set: embedded mode. No server needed: SQLite
 *   (TypeORM on sql.js) and JSON document files in DATA_DIR (default ./data), an in-process event
 *   bus. The admin and, on the folder's first start, the demo products are seeded.
 * - All three set: the servers they name (e.g. those of `npm run infra:up`). Each subgraph gets
 *   its own database there: commerce_<name>. START_PROCESSES=per-service (the default): the
 *   gateway and each subgraph in a child process of its own (`options.serviceEntry <name>`); one:
 *   all in this process.
 */
export async function startFromEnv(
  env: Env,
  logger: Logger,
  options: StartOptions,
): Promise<StartedSupergraph> {
  const mode = startMode(env);
  const processes = readStartProcesses(env, mode);
  const configuredAdmin = readStartAdmin(env);
  const admin = configuredAdmin.account;
  const adminLine = adminBannerLine(configuredAdmin);
  const exposure = readGatewayExposure(env);
  // What both modes take alike: the admin, the order policy, the gateway's address and its edge.
  const shared = {
    admin,
    orderPolicy: readOrderPolicy(env),
    logger,
    port: readInt(env, 'PORT', 4000),
    host: readString(env, 'HOST', '127.0.0.1'),
    rateLimits: loadRateLimitConfig(env),
    exposure,
    trustedDocuments: readTrustedDocuments(env),
    operationLimits: readOperationLimits(env),
    entityCache: readEntityCache(env),
  };
  if (mode === 'servers') {
    const kafka = readKafkaConfig(env);
    if (!kafka) throw new ConfigError('Missing environment variable KAFKA_BROKERS');
    const jwt = readJwtConfig(env);
    const ports = readSubgraphPorts(env);
    const prefix = readDatabasePrefix(env);
    const databases = await ensureStartDatabases(
      { databaseUrl: readString(env, 'DATABASE_URL'), mongodbUrl: readString(env, 'MONGODB_URL') },
      prefix,
    );
    const started = (url: string, count: string): Pick<StartedSupergraph, 'url' | 'banner'> => ({
      url,
      banner: `\n  commerce-supergraph is up: ${url} (${count})\n  Admin: ${adminLine}\n`,
    });
    if (processes === 'per-service') {
      const supergraph = await startSupervisedSupergraph({
        entry: options.serviceEntry,
        env,
        settings: { jwt, admin, databases, ports },
        logger,
      });
      const names = Object.keys(supergraph.pids);
      return {
        ...started(supergraph.url, `${names.length} processes: ${names.join(', ')}`),
        failed: supergraph.failed,
        close: () => supergraph.close(),
      };
    }
    const supergraph = await startServerSupergraph({
      kafka,
      databases,
      subgraphPorts: ports,
      jwt,
      ...shared,
    });
    return {
      ...started(supergraph.gateway.url, '1 process, START_PROCESSES=one'),
      close: () => supergraph.close(),
    };
  }
  const dataDir = resolve(readString(env, 'DATA_DIR', 'data'));
  const supergraph = await startEmbeddedSupergraph({
    dataDir,
    jwt: readJwtConfig({ ...env, DATA_DIR: dataDir }),
    ...shared,
  });
  const url = supergraph.gateway.url;
  const demo = supergraph.demo === 'seeded' ? 'created now' : 'created on the first start';
  const banner = [
    '',
    `  commerce-supergraph is up (embedded: data in ${dataDir}, in-process events)`,
    '',
    `  GraphQL API and playground: ${url}`,
    `  Admin: ${adminLine}`,
    `  Log in:  mutation { login(email: "${admin.email}", password: "…") { accessToken } }`,
    '           then send the header  Authorization: Bearer <accessToken>',
    `  Demo products (${demo}): query { products { edges { node { name price inventory { available } } } } }`,
    ...(shared.trustedDocuments.mode === 'enforce'
      ? [
          "  TRUSTED_DOCUMENTS=enforce: only the typed client's documents run, by id (not these, nor the playground).",
        ]
      : []),
    '',
    `  Delete ${dataDir} to start afresh. Ctrl-C stops.`,
    '',
  ].join('\n');
  return { url, banner, close: () => supergraph.close() };
}
