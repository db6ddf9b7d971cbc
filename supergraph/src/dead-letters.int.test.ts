import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { badInput } from '@commerce/common/errors';
import {
  createEnvelope,
  createKafkaClient,
  KafkaEventBus,
  type Envelope,
  type Topics,
} from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueName } from '../../test/harness/servers.js';
import { waitFor } from '../../test/harness/wait.js';
import { listDeadLetters, replayDeadLetters } from './dead-letters.js';

const logger = createLogger('dlq-test');
const prefix = `${uniqueName('dlq')}.`;
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let kafka: Kafka;
let bus: KafkaEventBus;
let broken = true;
/** eventIds handled by the group that fails (`billing`) and by a healthy one (`audit`). */
const billing: string[] = [];
const audit: string[] = [];
const stops: (() => Promise<void>)[] = [];

function orderPlaced(orderId: string): Envelope<Topics['order.placed']> {
  return createEnvelope(
    'order.placed',
    {
      orderId,
      userId: 'u1',
      items: [{ productId: 'p1', quantity: 1, unitPrice: 5 }],
      total: 5,
      createdAt: new Date().toISOString(),
      version: 1,
    },
    { source: 'test', correlationId: randomUUID() },
  );
}

beforeAll(async () => {
  kafka = createKafkaClient('dlq-test', kafkaBrokers(), logger);
  bus = new KafkaEventBus(kafka, {
    topicPrefix: prefix,
    logger,
    retry: { maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 20 },
  });
  await bus.ensureTopics();
  const options = { fromBeginning: true };
  stops.push(
    await bus.subscribe(
      'order.placed',
      'billing',
      (event) => {
        if (broken && event.payload.orderId === 'order-db-down') return Promise.reject(new Error('db down'));
        if (broken && event.payload.orderId === 'order-rule') return Promise.reject(badInput('no such plan'));
        billing.push(event.metadata.eventId);
        return Promise.resolve();
      },
      options,
    ),
    await bus.subscribe(
      'order.placed',
      'audit',
      (event) => Promise.resolve(void audit.push(event.metadata.eventId)),
      options,
    ),
  );
});

afterAll(async () => {
  for (const stop of stops) await stop();
  await bus?.close();
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
});

describe('npm run dlq against a real broker', () => {
  const failing = [orderPlaced('order-db-down'), orderPlaced('order-rule')];
  const fine = orderPlaced('order-fine');

  it('lists each dead letter with its key, error, attempts, group and original offset', async () => {
    for (const event of [...failing, fine]) await bus.publish('order.placed', event.payload.orderId, event);
    await waitFor(() => audit.length === 3 && billing.length === 1, {
      message: 'both groups to handle the events',
    });

    const letters = await waitFor(
      async () => {
        const found = await listDeadLetters({ kafka, topicPrefix: prefix, topic: 'order.placed' });
        return found.length === 2 && found;
      },
      { message: 'two dead letters' },
    );
    const byKey = Object.fromEntries(letters.map((letter) => [letter.key, letter]));
    expect(byKey['order-db-down']).toMatchObject({
      group: 'billing',
      attempts: 2,
      error: 'Error: db down',
      originalTopic: 'order.placed',
    });
    expect(byKey['order-rule']).toMatchObject({
      group: 'billing',
      attempts: 1,
      error: 'AppError: no such plan',
    });
    expect(byKey['order-rule']?.originalOffset).toMatch(/^\d+$/);
    expect(JSON.parse(byKey['order-rule']?.value?.toString() ?? '')).toEqual(failing[1]);
    expect(
      await listDeadLetters({ kafka, topicPrefix: prefix, topic: 'order.placed', group: 'audit' }),
    ).toEqual([]);
  });

  it('replays the original bytes and headers (without dlq-*) to the topic, each dead letter once', async () => {
    broken = false;
    const query = { kafka, topicPrefix: prefix, topic: 'order.placed.dlq', group: 'billing' };
    const first = await replayDeadLetters({ ...query, limit: 1 });
    expect(first).toHaveLength(1);
    const rest = await replayDeadLetters(query);
    expect(rest).toHaveLength(1);
    expect(await replayDeadLetters(query)).toEqual([]);

    const replayedIds = failing.map((event) => event.metadata.eventId);
    await waitFor(() => replayedIds.every((id) => billing.includes(id)), {
      message: 'billing to handle the replays',
    });
    // Every group of the topic sees a replay; the healthy one gets a duplicate it would skip.
    await waitFor(() => audit.length === 5, { message: 'audit to see the replays' });

    const replayed = await newestByKey(['order-db-down', 'order-rule']);
    expect(replayed).toHaveLength(2);
    for (const message of replayed) {
      expect(Object.keys(message.headers).filter((name) => name.startsWith('dlq-'))).toEqual([]);
      expect(message.headers['event-type']).toBe('order.placed');
    }
    expect(replayed.map((message) => message.value).sort()).toEqual(
      failing.map((event) => JSON.stringify(event)).sort(),
    );
  });

  it('prints the dead letters from the command line', async () => {
    const { stdout } = await dlq('list', 'order.placed', '--group', 'billing');
    expect(stdout).toContain('key=order-db-down group=billing attempts=2');
    expect(stdout).toContain('error: AppError: no such plan');
    expect(stdout).toContain(`2 dead letter(s) on ${prefix}order.placed.dlq (group billing)`);
  });

  it('replays from the command line up to --limit dead letters of the group, printing each, back onto the topic', async () => {
    broken = true;
    // Two more dead letters, one key (one partition: first, then second); the group's replay
    // progress is past the first two dead letters already.
    const first = orderPlaced('order-rule');
    const second = orderPlaced('order-rule');
    await bus.publish('order.placed', 'order-replayed', first);
    await bus.publish('order.placed', 'order-replayed', second);
    await waitFor(
      async () =>
        (await listDeadLetters({ kafka, topicPrefix: prefix, topic: 'order.placed', group: 'billing' }))
          .length === 4,
      { message: 'the two new dead letters' },
    );
    broken = false;

    const { stdout } = await dlq('replay', 'order.placed', '--group', 'billing', '--limit', '1');
    expect(stdout).toMatch(/^replayed \[\d+:\d+\] key=order-replayed group=billing attempts=1 /m);
    expect(stdout).toContain(first.metadata.eventId);
    expect(stdout).not.toContain(second.metadata.eventId);
    expect(stdout).toContain(`1 dead letter(s) replayed from ${prefix}order.placed.dlq (group billing)`);
    await waitFor(() => billing.includes(first.metadata.eventId), {
      message: 'billing to handle the replayed order.placed',
    });
    expect(billing).not.toContain(second.metadata.eventId);
  });

  it('exits 2 with the usage for an unknown command', async () => {
    const failed: unknown = await dlq('purge', 'order.placed').catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 2, stdout: '' });
    expect((failed as { stderr: string }).stderr).toContain(
      'usage: npm run dlq -- list <topic> [--group <group>]',
    );
    expect((failed as { stderr: string }).stderr).toContain(
      'npm run dlq -- replay <topic> [--group <group>] [--limit <n>]',
    );
  });
});

/** `npm run dlq -- ...args` against this file's topics; rejects (with code, stdout, stderr) on a non-zero exit. */
function dlq(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/dlq.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, KAFKA_TOPIC_PREFIX: prefix, LOG_LEVEL: 'silent' },
  });
}

/** The newest message of each key on order.placed (for a replayed key: the replay), read raw. */
async function newestByKey(
  keys: readonly string[],
): Promise<{ value: string; headers: Record<string, string> }[]> {
  const newest = new Map<string, { offset: bigint; value: string; headers: Record<string, string> }>();
  let seen = 0;
  const consumer = kafka.consumer({ groupId: `${prefix}reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic: `${prefix}order.placed`, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      seen += 1;
      const key = message.key?.toString() ?? '';
      const offset = BigInt(message.offset);
      if ((newest.get(key)?.offset ?? -1n) < offset) {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        );
        newest.set(key, { offset, value: message.value?.toString() ?? '', headers });
      }
      return Promise.resolve();
    },
  });
  try {
    await waitFor(() => seen === 5, { message: 'the five messages of order.placed' });
  } finally {
    await consumer.disconnect();
  }
  return keys.flatMap((key) => newest.get(key) ?? []);
}
