import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { createLogger } from '../logger.js';
import type { EventBus, Publication } from './bus.js';
import { ConsumerHealth } from './consumer-health.js';
import type { RetryPolicy } from './delivery.js';
import { createEnvelope, InvalidEventError } from './envelope.js';
import { createKafkaClient, KafkaEventBus } from './kafka-bus.js';
import { InMemoryEventBus } from './memory-bus.js';
import type { Topics } from './topics.js';

/**
 * The retry and dead-letter rules every EventBus adapter keeps, so that the embedded mode (the
 * in-process bus) and the servers (Kafka) agree: a transient failure waits for its dependency and is
 * never dead-lettered; an unexpected error is, after maxAttempts; our non-retriable errors at once.
 */
interface Subject {
  readonly bus: EventBus<Topics>;
  /** How many messages the dead-letter topic of product.deleted holds. */
  deadLetters(): Promise<number>;
  close(): Promise<void>;
}

const retry: RetryPolicy = { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 40 };
const logger = createLogger('event-bus-contract');

function inMemory(): Promise<Subject> {
  const bus = new InMemoryEventBus(retry);
  return Promise.resolve({
    bus,
    deadLetters: () => Promise.resolve(bus.messages('product.deleted.dlq').length),
    close: () => bus.close(),
  });
}

async function kafka(): Promise<Subject> {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
  const topicPrefix = `contract-${randomUUID().slice(0, 8)}-`;
  const client = createKafkaClient('event-bus-contract', brokers, logger);
  const bus = new KafkaEventBus(client, { topicPrefix, partitions: 1, logger, retry });
  await bus.ensureTopics();
  const admin = client.admin();
  await admin.connect();
  return {
    bus,
    deadLetters: async () => {
      // Retried: the leader of a topic just created may not be known to every broker request yet.
      for (let tries = 1; ; tries += 1) {
        try {
          const offsets = await admin.fetchTopicOffsets(`${topicPrefix}product.deleted.dlq`);
          return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
        } catch (error) {
          if (tries >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    },
    close: async () => {
      await bus.close();
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(topicPrefix));
      await admin.deleteTopics({ topics, timeout: 10_000 }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

const connectionRefused = (): Error =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

const deleted = (productId: string) =>
  createEnvelope('product.deleted', { productId }, { source: 'contract', correlationId: randomUUID() });
const lowStock = (productId: string) =>
  createEnvelope(
    'inventory.low_stock',
    { productId, available: 1, reorderThreshold: 5, priority: 'HIGH' },
    { source: 'contract', correlationId: randomUUID() },
  );
const productIdOf = ({ event }: Publication): unknown => (event.payload as { productId?: unknown }).productId;

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** event_consumer_retries_total of `kind`, summed over groups and topics. */
async function retriesCounted(health: ConsumerHealth, kind: string): Promise<number> {
  const metrics = await health.registry.getMetricsAsJSON();
  const retries = metrics.find((metric) => metric.name === 'event_consumer_retries_total');
  return (retries?.values ?? [])
    .filter((value) => value.labels['kind'] === kind)
    .reduce((sum, value) => sum + value.value, 0);
}

describe.each([
  ['in-process', inMemory],
  ['Kafka', kafka],
])('EventBus contract: %s', (_name, open) => {
  let subject: Subject;

  beforeEach(async () => {
    subject = await open();
  }, 60_000);

  afterEach(async () => {
    await subject.close();
  }, 60_000);

  it('retries a transient failure past maxAttempts until the dependency is back, reports it meanwhile, then goes on in order; nothing is dead-lettered', async () => {
    const health = new ConsumerHealth();
    let databaseUp = false;
    const attempts: number[] = [];
    const handled: string[] = [];
    const stop = await subject.bus.subscribe(
      'product.deleted',
      'waits',
      (event, delivery) => {
        if (event.payload.productId === 'first') attempts.push(delivery.attempt);
        if (!databaseUp) return Promise.reject(connectionRefused());
        handled.push(event.payload.productId);
        return Promise.resolve();
      },
      { fromBeginning: true, monitor: health },
    );
    await subject.bus.publish('product.deleted', 'one-key', deleted('first'));
    await subject.bus.publish('product.deleted', 'one-key', deleted('second'));

    await until(() => attempts.length >= retry.maxAttempts * 3, 'many attempts');
    expect(health.status).toBe('degraded');
    expect(health.retryingMessages()).toEqual([
      expect.objectContaining({
        group: 'waits',
        topic: 'product.deleted',
        kind: 'transient',
        lastError: 'Error: connect ECONNREFUSED 127.0.0.1:5432',
      }),
    ]);
    expect(handled).toEqual([]);

    databaseUp = true;
    await until(() => handled.length === 2, 'both messages handled');
    expect(handled).toEqual(['first', 'second']);
    expect(attempts).toEqual(attempts.map((_, index) => index + 1));
    expect(health.status).toBe('ok');
    expect(health.retryingMessages()).toEqual([]);
    expect(await retriesCounted(health, 'transient')).toBe(attempts.length - 1);
    expect(await subject.deadLetters()).toBe(0);
    await stop();
  });

  it('dead-letters an unexpected error after maxAttempts, and goes on with the next message', async () => {
    const health = new ConsumerHealth();
    const attempts: number[] = [];
    const handled: string[] = [];
    const stop = await subject.bus.subscribe(
      'product.deleted',
      'bug',
      (event, delivery) => {
        if (event.payload.productId !== 'buggy') return Promise.resolve(void handled.push('next'));
        attempts.push(delivery.attempt);
        return Promise.reject(new TypeError('x is undefined'));
      },
      { fromBeginning: true, monitor: health },
    );
    await subject.bus.publish('product.deleted', 'one-key', deleted('buggy'));
    await subject.bus.publish('product.deleted', 'one-key', deleted('fine'));
    await until(() => handled.length === 1, 'the next message');
    await until(async () => (await subject.deadLetters()) === 1, 'the dead letter');
    expect(attempts).toEqual([1, 2, 3]);
    expect(await retriesCounted(health, 'unexpected')).toBe(2);
    expect(health.status).toBe('ok');
    await stop();
  });

  it('dead-letters a non-retriable error of ours at once', async () => {
    const attempts: number[] = [];
    const stop = await subject.bus.subscribe(
      'product.deleted',
      'rule',
      (_event, delivery) => {
        attempts.push(delivery.attempt);
        return Promise.reject(new AppError('BAD_USER_INPUT', 'not allowed'));
      },
      { fromBeginning: true },
    );
    await subject.bus.publish('product.deleted', 'k', deleted('x'));
    await until(async () => (await subject.deadLetters()) === 1, 'the dead letter');
    expect(attempts).toEqual([1]);
    await stop();
  });

  it('publishAll stores a batch over several topics and keys, each key in the order given', async () => {
    const seen: string[] = [];
    const stops = await Promise.all([
      subject.bus.subscribe(
        'product.deleted',
        'batch',
        (event, delivery) => Promise.resolve(void seen.push(`${delivery.key}:${event.payload.productId}`)),
        { fromBeginning: true },
      ),
      subject.bus.subscribe(
        'inventory.low_stock',
        'batch',
        (event, delivery) => Promise.resolve(void seen.push(`${delivery.key}:${event.payload.productId}`)),
        { fromBeginning: true },
      ),
    ]);
    const batch: Publication[] = [];
    for (let i = 0; i < 30; i += 1) {
      const key = `k${i % 3}`;
      batch.push({ topic: 'product.deleted', key, event: deleted(`p${i}`) });
      if (i % 10 === 0) batch.push({ topic: 'inventory.low_stock', key: 'low', event: lowStock(`l${i}`) });
    }
    await subject.bus.publishAll?.(batch);
    await until(() => seen.length === batch.length, 'the whole batch');
    for (const key of ['k0', 'k1', 'k2', 'low']) {
      const expected = batch.filter((p) => p.key === key).map((p) => `${key}:${String(productIdOf(p))}`);
      expect(seen.filter((entry) => entry.startsWith(`${key}:`))).toEqual(expected);
    }
    await Promise.all(stops.map((stop) => stop()));
  });

  it('publishAll keeps the order of a batch larger than a broker takes in one request (1.5 MiB on one key)', async () => {
    const seen: string[] = [];
    const stop = await subject.bus.subscribe(
      'product.created',
      'large-batch',
      (event) => Promise.resolve(void seen.push(event.payload.productId)),
      { fromBeginning: true },
    );
    const large = (productId: string) =>
      createEnvelope(
        'product.created',
        {
          productId,
          name: productId,
          description: 'x'.repeat(50 * 1024),
          category: 'large',
          price: 1,
          quantity: 1,
          reorderThreshold: 0,
        },
        { source: 'contract', correlationId: randomUUID() },
      );
    const ids = Array.from({ length: 30 }, (_, i) => `p${i}`);
    await subject.bus.publishAll?.(
      ids.map((id) => ({ topic: 'product.created', key: 'one', event: large(id) })),
    );
    await until(() => seen.length === ids.length, 'the whole batch');
    expect(seen).toEqual(ids);
    await stop();
  });

  it('publishAll sends nothing of a batch holding an invalid event', async () => {
    const seen: string[] = [];
    const stop = await subject.bus.subscribe(
      'product.deleted',
      'invalid-batch',
      (event) => Promise.resolve(void seen.push(event.payload.productId)),
      { fromBeginning: true },
    );
    const invalid = { ...deleted('bad'), payload: { productId: 42 } } as unknown as ReturnType<
      typeof deleted
    >;
    await expect(
      subject.bus.publishAll?.([
        { topic: 'product.deleted', key: 'k', event: deleted('good') },
        { topic: 'product.deleted', key: 'k', event: invalid },
      ]),
    ).rejects.toThrow(InvalidEventError);
    await subject.bus.publish('product.deleted', 'k', deleted('after'));
    await until(() => seen.length > 0, 'the event published after');
    expect(seen).toEqual(['after']);
    await stop();
  });

  it('stops promptly while a transient failure is being retried, and dead-letters nothing', async () => {
    const health = new ConsumerHealth();
    let calls = 0;
    const stop = await subject.bus.subscribe(
      'product.deleted',
      'stopping',
      () => {
        calls += 1;
        return Promise.reject(connectionRefused());
      },
      { fromBeginning: true, monitor: health },
    );
    await subject.bus.publish('product.deleted', 'k', deleted('x'));
    await until(() => calls >= 5, 'a few attempts');
    const started = Date.now();
    await stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(health.status).toBe('ok');
    const callsAtStop = calls;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toBe(callsAtStop);
    expect(await subject.deadLetters()).toBe(0);
  });
});
