/**
 * Helpers for integration tests that need their own slice of the real servers started by
 * test/harness/global-setup.ts: a fresh PostgreSQL database, MongoDB database or Kafka topic.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import pg from 'pg';

export type ServerEnvKey = 'KAFKA_BROKERS' | 'DATABASE_URL' | 'MONGODB_URL';

/** Reads a server URL set by the global setup (or by the caller's environment). */
export function requireEnv(key: ServerEnvKey): string {
  const value = process.env[key];
  if (value === undefined || value === '') {
    throw new Error(
      `${key} is not set. Run integration tests through vitest (test/harness/global-setup.ts sets it), ` +
        'or export the lines printed by `npm run infra:up`.',
    );
  }
  return value;
}

/** A name unique to this call, safe as a PostgreSQL/MongoDB database, Kafka topic or group id. */
export function uniqueName(prefix: string): string {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32);
  return `${clean || 't'}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export function kafkaBrokers(): string[] {
  return requireEnv('KAFKA_BROKERS').split(',').filter(Boolean);
}

/** Replaces the database (path) of a postgres:// or mongodb:// URL, keeping credentials and query. */
function withDatabase(url: string, database: string): string {
  const match = /^([a-z+]+:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (match?.[1] === undefined) throw new Error(`Cannot parse server URL ${url}`);
  return `${match[1]}/${database}${match[3] ?? ''}`;
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database (closing any connections left open to it). */
  drop(): Promise<void>;
}

async function withPgAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: requireEnv('DATABASE_URL') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** CREATE DATABASE with a unique name on the server of DATABASE_URL. */
export async function createPostgresDatabase(prefix: string): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  await withPgAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(requireEnv('DATABASE_URL'), name),
    drop: () => dropPostgresDatabase(name),
  };
}

/** DROP DATABASE (closing any connections left open to it) on the server of DATABASE_URL, if it exists. */
export async function dropPostgresDatabase(name: string): Promise<void> {
  await withPgAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export interface TestMongoDatabase extends TestDatabase {
  readonly dbName: string;
}

/** A unique MongoDB database name on the server of MONGODB_URL (created on first write). */
export function createMongoDatabase(prefix: string): Promise<TestMongoDatabase> {
  const dbName = uniqueName(prefix);
  const url = withDatabase(requireEnv('MONGODB_URL'), dbName);
  return Promise.resolve({
    name: dbName,
    dbName,
    url,
    drop: () => dropMongoDatabase(dbName),
  });
}

/** Drops a database on the server of MONGODB_URL. */
export async function dropMongoDatabase(name: string): Promise<void> {
  const client = new MongoClient(withDatabase(requireEnv('MONGODB_URL'), name));
  try {
    await client.connect();
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

/** Creates a topic with a unique name and waits for its partition leaders; returns the name. */
export async function createKafkaTopic(prefix: string, partitions = 3): Promise<string> {
  const topic = uniqueName(prefix);
  const admin = new Kafka({
    clientId: 'test-harness',
    brokers: kafkaBrokers(),
    logLevel: logLevel.WARN,
  }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  return topic;
}
