import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import type { EventBus } from './bus.js';
import { createEnvelope } from './envelope.js';
import { createKafkaClient, KafkaEventBus } from './kafka-bus.js';
import { KafkaTopicLog } from './kafka-topic-log.js';
import { InMemoryEventBus } from './memory-bus.js';
import { InMemoryTopicLog } from './memory-topic-log.js';
import { reached, type LogPosition, type LogRecord, type TopicLog } from './topic-log.js';
import type { Topics } from './topics.js';

/** What the gateway's subscriptions rely on from every TopicLog adapter (in-process and Kafka). */
interface Subject {
  readonly bus: EventBus<Topics>;
  readonly log: TopicLog;
  /** Writes bytes that are not an envelope. */
  publishInvalid(key: string): Promise<void>;
  /** The consumer groups the broker knows (none for the in-process log). */
  groups(): Promise<readonly string[]>;
  close(): Promise<void>;
}

const logger = createLogger('topic-log-contract');

function inMemory(): Promise<Subject> {
  const bus = new InMemoryEventBus();
  return Promise.resolve({
    bus,
    log: new InMemoryTopicLog(bus),
    publishInvalid: (key) =>
      Promise.resolve(bus.publishRaw('product.deleted', { key, value: '{', headers: {} })),
    groups: () => Promise.resolve([]),
    close: () => bus.close(),
  });
}

async function kafka(): Promise<Subject> {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
  const topicPrefix = `topic-log-${randomUUID().slice(0, 8)}-`;
  const client = createKafkaClient('topic-log-contract', brokers, logger);
  const bus = new KafkaEventBus(client, { topicPrefix, partitions: 3, logger });
  await bus.ensureTopics();
  const log = new KafkaTopicLog({ brokers, topicPrefix, logger });
  const admin: Admin = client.admin();
  await admin.connect();
  return {
    bus,
    log,
    publishInvalid: (key) => bus.publishRaw('product.deleted', { key, value: '{' }),
    groups: async () => (await admin.listGroups()).groups.map(({ groupId }) => groupId),
    close: async () => {
      await log.close();
      await bus.close();
      await admin.deleteTopics({
        topics: (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix)),
      });
      await admin.disconnect();
    },
  };
}

const deleted = (productId: string) =>
  createEnvelope('product.deleted', { productId }, { source: 'test', correlationId: randomUUID() });

/** Reads from `from` until `count` records arrived; returns them and the position reached. */
async function readUntil(
  log: TopicLog,
  from: LogPosition,
  count: number,
): Promise<{ records: LogRecord<'product.deleted'>[]; position: LogPosition }> {
  const records: LogRecord<'product.deleted'>[] = [];
  const stopping = new AbortController();
  let position = from;
  const timer = setTimeout(() => stopping.abort(), 20_000);
  await log.read(
    'product.deleted',
    from,
    (batch) => {
      records.push(...batch);
    },
    {
      signal: stopping.signal,
      onPosition: (reachedPosition) => {
        position = [...reachedPosition];
        if (records.length >= count) stopping.abort();
      },
    },
  );
  clearTimeout(timer);
  return { records, position };
}

describe.each([
  ['in-process', inMemory],
  ['Kafka', kafka],
])('TopicLog contract: %s', (_name, create) => {
  let subject: Subject;

  beforeEach(async () => {
    subject = await create();
  });

  afterEach(async () => {
    await subject.close();
  });

  it('reads every event after a position, in order per key, and reports the position reached', async () => {
    const { log, bus } = subject;
    await bus.publish('product.deleted', 'before', deleted('before'));
    const { end: start } = await log.bounds('product.deleted');
    for (let i = 0; i < 20; i += 1) await bus.publish('product.deleted', `k${i % 4}`, deleted(`p${i}`));
    const { end } = await log.bounds('product.deleted');
    const { records, position } = await readUntil(log, start, 20);
    expect(records.map(({ event }) => event.payload.productId).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `p${i}`).sort(),
    );
    for (const key of ['k0', 'k1', 'k2', 'k3']) {
      const ofKey = records
        .filter((record) => record.key === key)
        .map(({ event }) => event.payload.productId);
      expect(ofKey).toEqual(
        Array.from({ length: 20 }, (_, i) => i)
          .filter((i) => `k${i % 4}` === key)
          .map((i) => `p${i}`),
      );
    }
    expect(reached(position, end)).toBe(true);
    expect(records.every(({ offset, partition }) => offset >= (start[partition] ?? 0))).toBe(true);
  });

  it('skips an invalid message, telling where it was, and goes on', async () => {
    const { log, bus } = subject;
    const { end: start } = await log.bounds('product.deleted');
    await subject.publishInvalid('bad');
    await bus.publish('product.deleted', 'bad', deleted('after-bad'));
    const invalid: number[] = [];
    const records: string[] = [];
    const stopping = new AbortController();
    await log.read(
      'product.deleted',
      start,
      (batch) => void records.push(...batch.map((r) => r.event.payload.productId)),
      {
        signal: stopping.signal,
        onInvalid: (_partition, offset) => invalid.push(offset),
        onPosition: () => {
          if (records.length > 0) stopping.abort();
        },
      },
    );
    expect(records).toEqual(['after-bad']);
    expect(invalid).toHaveLength(1);
  });

  it('never joins a consumer group (none is left behind)', async () => {
    const { log, bus } = subject;
    const { end } = await log.bounds('product.deleted');
    await bus.publish('product.deleted', 'g', deleted('g'));
    await readUntil(log, end, 1);
    // Other test files share the broker and have groups of their own: only ours must not exist.
    expect((await subject.groups()).filter((group) => group.includes('topic-log'))).toEqual([]);
  });
});
