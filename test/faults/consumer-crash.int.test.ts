import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { generateKeyPair } from '@commerce/common/auth';
import {
  createEnvelope,
  createKafkaClient,
  KafkaEventBus,
  type Envelope,
  type Topics,
} from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import type { OpenedSubgraph } from '@commerce/common/server';
import { inventorySubgraph } from '@commerce/inventory';
import { listDeadLetters } from '@commerce/supergraph';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, kafkaBrokers, type TestDatabase } from '../harness/servers.js';
import { sqlClient, type SqlClient } from '../harness/sql.js';
import { waitFor } from '../harness/wait.js';
import { deleteTopics, groupProgress, topicPrefix, waitForCaughtUp } from './kafka-probe.js';
import { WrappingBus } from './wrapping-bus.js';

const logger = createLogger('faults-crash');
const prefix = topicPrefix('faults-crash');
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const origin = () => ({ source: 'faults-test', correlationId: randomUUID() });
let database: TestDatabase;
let storage: OpenedSubgraph;
let db: SqlClient;
let kafka: Kafka;
let bus: KafkaEventBus;

beforeAll(async () => {
  database = await createPostgresDatabase('faults_crash');
  storage = await inventorySubgraph.open({ mode: 'servers', url: database.url });
  db = sqlClient(database.url);
  kafka = createKafkaClient('faults-crash', kafkaBrokers(), logger);
  bus = new KafkaEventBus(kafka, { topicPrefix: prefix, logger });
  await bus.ensureTopics();
});

afterAll(async () => {
  await bus?.close();
  await db?.close();
  await storage?.close();
  await deleteTopics(kafka, prefix);
  await database?.drop();
});

async function stockOf(productId: string): Promise<{ available: number; reserved: number } | undefined> {
  const [row] = await db.query<{ available: number; reserved: number }>(
    'SELECT available, reserved FROM inventory_item WHERE product_id = $1',
    [productId],
  );
  return row;
}

function orderPlaced(productId: string, quantity: number): Envelope<Topics['order.placed']> {
  return createEnvelope(
    'order.placed',
    {
      orderId: randomUUID(),
      userId: randomUUID(),
      items: [{ productId, quantity, unitPrice: 1 }],
      total: quantity,
      createdAt: new Date().toISOString(),
      version: 1,
    },
    origin(),
  );
}

/** Starts test/faults/crashing-inventory.ts; resolves with how it ended. */
function startCrashingInventory(crashAfterEventId: string): {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/faults/crashing-inventory.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      CRASH_AFTER_EVENT_ID: crashAfterEventId,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output }))),
  };
}

describe('a consumer that dies between its database commit and its offset commit', () => {
  it('does not apply the effect a second time when the group starts again', async () => {
    const productId = randomUUID();
    const created = {
      productId,
      name: 'Crash',
      description: null,
      category: 'faults',
      price: 1,
      quantity: 20,
      reorderThreshold: 0,
    };
    await bus.publish('product.created', productId, createEnvelope('product.created', created, origin()));
    const fatal = orderPlaced(productId, 4);
    const child = startCrashingInventory(fatal.metadata.eventId);
    await waitFor(() => stockOf(productId), {
      timeoutMs: 60_000,
      message: 'the child to create the stock row',
    });

    await bus.publish('order.placed', fatal.payload.orderId, fatal);
    const ended = await Promise.race([
      child.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the child did not crash')), 60_000),
      ),
    ]);
    expect(ended.signal, ended.output).toBe('SIGKILL');
    // The effect is stored; the offset is not committed.
    expect(await stockOf(productId)).toEqual({ available: 16, reserved: 4 });
    const group = `${prefix}inventory.order.placed`;
    const progress = await groupProgress(kafka, group, `${prefix}order.placed`);
    expect(progress.some(({ high, committed }) => committed < high)).toBe(true);

    // The service starts again (here, in this process) with the same consumer group.
    const delivered: string[] = [];
    const watching = new WrappingBus(bus, (event) =>
      Promise.resolve(void delivered.push(event.metadata.eventId)),
    );
    const jwt = {
      ...generateKeyPair(),
      privateKey: null,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 900,
    };
    const inventory = await storage.start({ bus: watching, jwt, logger });
    try {
      const next = orderPlaced(productId, 1);
      await bus.publish('order.placed', next.payload.orderId, next);
      // The dead member's session (10 s) must time out before the group hands its partitions over.
      await waitForCaughtUp(kafka, group, `${prefix}order.placed`, 60_000);
      expect(delivered).toContain(fatal.metadata.eventId);
      expect(delivered).toContain(next.metadata.eventId);
      expect(await stockOf(productId)).toEqual({ available: 15, reserved: 5 });
      const marks = await db.query<unknown>('SELECT 1 FROM processed_event WHERE event_id = $1', [
        fatal.metadata.eventId,
      ]);
      expect(marks).toHaveLength(1);
      expect(await listDeadLetters({ kafka, topicPrefix: prefix, topic: 'order.placed' })).toEqual([]);
    } finally {
      await inventory.close();
    }
  }, 120_000);
});
