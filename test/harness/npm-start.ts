/**
 * `npm start` on the real servers as a real process (scripts/start.ts), isolated like the harness's
 * supergraph: its own databases (START_DATABASE_PREFIX), topics (KAFKA_TOPIC_PREFIX), key pair
 * (DATA_DIR), admin and free ports (PORT=0, <NAME>_PORT=0); `cleanUp` drops them all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portVariable, subgraphs, type StartProcesses } from '@commerce/supergraph';
import { Kafka, logLevel } from 'kafkajs';
import { runTsx, type TsxChild } from '../fixtures/tsx-child.js';
import { dropMongoDatabase, dropPostgresDatabase, kafkaBrokers, uniqueName } from './servers.js';

export interface NpmStart {
  readonly child: TsxChild;
  /** The gateway's URL, from the banner. */
  readonly url: string;
  /** How many processes the banner says run the supergraph. */
  readonly processes: number;
  readonly admin: { readonly email: string; readonly password: string };
  /** Its KAFKA_TOPIC_PREFIX, which every process it starts inherits (processesWith). */
  readonly topicPrefix: string;
  /** Drops this start's databases and topics and deletes its data folder (after it has exited). */
  cleanUp(): Promise<void>;
}

/** What `npm start` is given besides this process's environment (the servers' variables). */
export function npmStartEnv(name: string, processes: StartProcesses): Record<string, string> {
  const prefix = uniqueName(name);
  return {
    START_PROCESSES: processes,
    START_DATABASE_PREFIX: prefix,
    KAFKA_TOPIC_PREFIX: `${prefix}.`,
    PORT: '0',
    ...Object.fromEntries(subgraphs.map(({ name: subgraph }) => [portVariable(subgraph), '0'])),
    ADMIN_EMAIL: 'owner@example.com',
    ADMIN_PASSWORD: `Owner-${prefix}`,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
}

/**
 * Runs `npm start` with `env` over this process's environment (npmStartEnv's variables first) and
 * resolves once its banner is printed; on a failed start, cleans up and rejects with its output.
 */
export async function startNpmStart(
  name: string,
  processes: StartProcesses,
  env: Record<string, string> = {},
): Promise<NpmStart> {
  const variables = { ...npmStartEnv(name, processes), ...env };
  const dataDir = mkdtempSync(join(tmpdir(), 'commerce-npm-start-'));
  const child = runTsx('scripts/start.ts', [], { ...process.env, ...variables, DATA_DIR: dataDir });
  const cleanUp = async (): Promise<void> => {
    await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await dropStartData(variables['START_DATABASE_PREFIX'] ?? '', variables['KAFKA_TOPIC_PREFIX'] ?? '');
  };
  try {
    const [, url, count] = await child.waitForStdout(/is up: (\S+) \((\d+) process/, 180_000);
    return {
      child,
      url: url ?? '',
      processes: Number(count),
      admin: { email: variables['ADMIN_EMAIL'] ?? '', password: variables['ADMIN_PASSWORD'] ?? '' },
      topicPrefix: variables['KAFKA_TOPIC_PREFIX'] ?? '',
      cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Drops the databases `npm start` made with `prefix` and deletes the topics under `topicPrefix`. */
export async function dropStartData(prefix: string, topicPrefix: string): Promise<void> {
  for (const subgraph of subgraphs) {
    const database = `${prefix}_${subgraph.name}`;
    await (subgraph.server === 'postgres' ? dropPostgresDatabase(database) : dropMongoDatabase(database));
  }
  await dropPostgresDatabase(`${prefix}_gateway`);
  const admin = new Kafka({
    clientId: 'npm-start-cleanup',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(topicPrefix));
    if (topicPrefix && topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  } catch {
    // Best effort: prefixed topics left behind harm no other run.
  } finally {
    await admin.disconnect();
  }
}
