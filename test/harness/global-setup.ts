/**
 * Vitest globalSetup for the integration and e2e projects: makes sure Kafka, PostgreSQL and
 * FerretDB are reachable before any test file runs, and never skips when they are not.
 *
 * - KAFKA_BROKERS, DATABASE_URL and MONGODB_URL all set: those servers are used as they are.
 * - Otherwise `bash scripts/infra/infra.sh up` starts (or reuses) the local servers and its stdout
 *   lines fill in the missing variables.
 *
 * The values go to process.env (workers inherit it) and to `inject('kafkaBrokers')` etc. The servers
 * are left running on teardown so the next run reuses them; `npm run infra:down` stops them.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    databaseUrl: string;
    mongodbUrl: string;
  }
}

const ENV_KEYS = ['KAFKA_BROKERS', 'DATABASE_URL', 'MONGODB_URL'] as const;
type EnvKey = (typeof ENV_KEYS)[number];
type InfraEnv = Record<EnvKey, string>;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const HINT = 'Start it with `npm run infra:up` (logs in .infra/logs/).';
const CHECK_TIMEOUT_MS = 10_000;

function isEnvKey(key: string): key is EnvKey {
  return (ENV_KEYS as readonly string[]).includes(key);
}

function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(errorMessage).join('; ');
  }
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/** Parses `NAME=value` lines printed by infra.sh up. */
function parseInfraOutput(stdout: string): Partial<InfraEnv> {
  const env: Partial<InfraEnv> = {};
  for (const line of stdout.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined && isEnvKey(match[1])) env[match[1]] = match[2];
  }
  return env;
}

function runInfraUp(): Promise<Partial<InfraEnv>> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'bash',
      ['scripts/infra/infra.sh', 'up'],
      // Cold start fetches Kafka's jars and builds FerretDB: allow several minutes.
      { cwd: repoRoot, timeout: 15 * 60_000, maxBuffer: 1024 * 1024 },
      (error, stdout) => {
        if (error)
          reject(new Error(`scripts/infra/infra.sh up failed (see its output above): ${error.message}`));
        else resolve(parseInfraOutput(stdout));
      },
    );
    // Progress goes to stderr: show it while the servers start.
    child.stderr?.pipe(process.stderr);
  });
}

async function resolveEnv(): Promise<InfraEnv> {
  const given: Partial<InfraEnv> = {};
  for (const key of ENV_KEYS) {
    const value = process.env[key];
    if (value !== undefined && value !== '') given[key] = value;
  }
  const started = ENV_KEYS.every((key) => given[key] !== undefined) ? {} : await runInfraUp();
  const env: Partial<InfraEnv> = { ...started, ...given };
  const missing = ENV_KEYS.filter((key) => env[key] === undefined);
  if (missing.length > 0) throw new Error(`scripts/infra/infra.sh up did not print ${missing.join(', ')}`);
  return env as InfraEnv;
}

async function checkKafka(brokers: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'vitest-global-setup',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 3 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('cluster reports no brokers');
  } catch (error) {
    throw new Error(`Kafka not reachable at KAFKA_BROKERS=${brokers}: ${errorMessage(error)}. ${HINT}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function checkPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
  try {
    await client.connect();
    const result = await client.query<{ one: number }>('select 1 as one');
    if (result.rows[0]?.one !== 1) throw new Error('unexpected answer to select 1');
  } catch (error) {
    throw new Error(`PostgreSQL not reachable at ${url}: ${errorMessage(error)}. ${HINT}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkMongo(url: string): Promise<void> {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: CHECK_TIMEOUT_MS,
    connectTimeoutMS: CHECK_TIMEOUT_MS,
  });
  try {
    await client.connect();
    await client.db().command({ ping: 1 });
  } catch (error) {
    throw new Error(`MongoDB (FerretDB) not reachable at ${url}: ${errorMessage(error)}. ${HINT}`);
  } finally {
    await client.close().catch(() => undefined);
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const env = await resolveEnv();
  for (const key of ENV_KEYS) process.env[key] = env[key];

  const results = await Promise.allSettled([
    checkKafka(env.KAFKA_BROKERS),
    checkPostgres(env.DATABASE_URL),
    checkMongo(env.MONGODB_URL),
  ]);
  const failures = results.flatMap((result) =>
    result.status === 'rejected' ? [errorMessage(result.reason)] : [],
  );
  if (failures.length > 0) throw new Error(failures.join('\n'));

  // The playground's browser test (e2e) drives Debian's Chromium: installed here when missing, so that
  // the download never counts against a test's timeout.
  if (project.name === 'e2e') {
    await promisify(execFile)('bash', [`${repoRoot}scripts/infra/chromium.sh`], { timeout: 900_000 });
  }

  project.provide('kafkaBrokers', env.KAFKA_BROKERS);
  project.provide('databaseUrl', env.DATABASE_URL);
  project.provide('mongodbUrl', env.MONGODB_URL);
}
