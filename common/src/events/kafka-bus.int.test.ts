import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createEnvelope, type Envelope } from './envelope.js';
import { createKafkaClient, KafkaEventBus } from './kafka-bus.js';
import type { Topics } from './topics.js';

const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
const logger = createLogger('kafka-bus-test');
const origin = { source: 'test', correlationId: randomUUID() };
const prefix = `t-${randomUUID().slice(0, 8)}-`;

let kafka: Kafka;
let bus: KafkaEventBus;

function orderPlaced(orderId: string): Envelope<Topics['order.placed']> {
  return createEnvelope(
    'order.placed',
    {
      orderId,
      userId: 'u1',
      items: [{ productId: 'p1', quantity: 1, unitPrice: 10 }],
      total: 10,
      createdAt: new Date().toISOString(),
      version: 1,
    },
    origin,
  );
}

async function waitFor(condition: () => boolean, message: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reads a topic from the start with a throwaway group (dead letters, raw headers). */
async function readRaw(topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `${prefix}reader-${randomUUID()}` });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: `${prefix}${topic}`, fromBeginning: true });
  await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void messages.push(message)) });
  try {
    await waitFor(() => messages.length >= count, `${count} messages on ${topic}`);
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

beforeAll(async () => {
  if (brokers.length === 0)
    throw new Error('KAFKA_BROKERS is not set: start the broker with npm run infra:up');
  kafka = createKafkaClient('kafka-bus-test', brokers, logger);
  bus = new KafkaEventBus(kafka, {
    topicPrefix: prefix,
    partitions: 3,
    logger,
    retry: { maxAttempts: 3, initialBackoffMs: 20, maxBackoffMs: 50 },
  });
  await bus.ensureTopics();
});

afterAll(async () => {
  await bus.close();
});

describe('KafkaEventBus against a real broker', () => {
  it('delivers the envelope keyed by aggregate id, with event type and correlation id headers', async () => {
    const received: Envelope<Topics['order.placed']>[] = [];
    const stop = await bus.subscribe(
      'order.placed',
      'roundtrip',
      (event) => Promise.resolve(void received.push(event)),
      { fromBeginning: true },
    );
    const event = orderPlaced('order-1');
    await bus.publish('order.placed', 'order-1', event);
    await waitFor(() => received.length === 1, 'the event');
    expect(received[0]).toEqual(event);
    await stop();

    const [raw] = await readRaw('order.placed', 1);
    expect(raw?.key?.toString()).toBe('order-1');
    expect(raw?.headers?.['event-type']?.toString()).toBe('order.placed');
    expect(raw?.headers?.['correlation-id']?.toString()).toBe(origin.correlationId);
  });

  it('every consumer group sees every event', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const stopA = await bus.subscribe(
      'product.deleted',
      'group-a',
      (e) => Promise.resolve(void a.push(e.payload.productId)),
      { fromBeginning: true },
    );
    const stopB = await bus.subscribe(
      'product.deleted',
      'group-b',
      (e) => Promise.resolve(void b.push(e.payload.productId)),
      { fromBeginning: true },
    );
    for (const id of ['p1', 'p2', 'p3'])
      await bus.publish('product.deleted', id, createEnvelope('product.deleted', { productId: id }, origin));
    await waitFor(() => a.length === 3 && b.length === 3, 'both groups');
    expect(a.sort()).toEqual(['p1', 'p2', 'p3']);
    expect(b.sort()).toEqual(['p1', 'p2', 'p3']);
    await Promise.all([stopA(), stopB()]);
  });

  it('keeps the events of one key in the order they were published', async () => {
    const seen: number[] = [];
    const stop = await bus.subscribe(
      'stock.updated',
      'ordering',
      (e) => Promise.resolve(void seen.push(e.payload.available)),
      { fromBeginning: true },
    );
    for (let available = 0; available < 100; available += 1) {
      const payload = {
        productId: 'p1',
        available,
        reserved: 0,
        reorderThreshold: 5,
        lowStock: false,
        reason: 'ADJUSTED' as const,
        orderId: null,
        updatedAt: new Date().toISOString(),
      };
      await bus.publish('stock.updated', 'p1', createEnvelope('stock.updated', payload, origin));
    }
    await waitFor(() => seen.length === 100, '100 stock changes');
    expect(seen).toEqual([...Array(100).keys()]);
    await stop();
  });

  it('dead-letters malformed and schema-invalid messages with the reason, then processes the next valid one', async () => {
    const handled: string[] = [];
    const stop = await bus.subscribe(
      'order.cancelled',
      'dlq',
      (e) => Promise.resolve(void handled.push(e.payload.orderId)),
      { fromBeginning: true },
    );
    await bus.publishRaw('order.cancelled', { key: 'bad-1', value: 'not json at all' });
    const invalid = {
      ...createEnvelope('order.cancelled', { orderId: 'o', userId: 'u', items: [], version: 2 }, origin),
      payload: { orderId: 42 },
    };
    await bus.publishRaw('order.cancelled', { key: 'bad-2', value: JSON.stringify(invalid) });
    await bus.publish(
      'order.cancelled',
      'good',
      createEnvelope('order.cancelled', { orderId: 'good', userId: 'u', items: [], version: 2 }, origin),
    );
    await waitFor(() => handled.includes('good'), 'the valid event after the bad ones');
    await stop();

    const dead = await readRaw('order.cancelled.dlq', 2);
    const byKey = new Map(dead.map((m) => [m.key?.toString(), m]));
    expect(byKey.get('bad-1')?.value?.toString()).toBe('not json at all');
    expect(byKey.get('bad-1')?.headers?.['dlq-error']?.toString()).toMatch(/not JSON/);
    expect(byKey.get('bad-2')?.headers?.['dlq-error']?.toString()).toMatch(/Invalid order.cancelled event/);
    expect(byKey.get('bad-2')?.headers?.['dlq-attempts']?.toString()).toBe('1');
    expect(handled).toEqual(['good']);
  });

  it('retries a failing handler and commits only after it succeeds: a restarted group does not see it again', async () => {
    let calls = 0;
    const stop = await bus.subscribe(
      'user.created',
      'retry',
      () => (++calls < 3 ? Promise.reject(new Error('db busy')) : Promise.resolve()),
      { fromBeginning: true },
    );
    const payload = {
      userId: 'u1',
      email: 'a@example.com',
      firstName: 'A',
      lastName: 'B',
      role: 'CUSTOMER' as const,
    };
    await bus.publish('user.created', 'u1', createEnvelope('user.created', payload, origin));
    await waitFor(() => calls === 3, 'three attempts');
    await stop();

    let again = 0;
    const restarted = await bus.subscribe('user.created', 'retry', () => Promise.resolve(void (again += 1)), {
      fromBeginning: true,
    });
    await bus.publish(
      'user.created',
      'u2',
      createEnvelope('user.created', { ...payload, userId: 'u2' }, origin),
    );
    await waitFor(() => again >= 1, 'the next event after restart');
    expect(again).toBe(1);
    await restarted();
  });
});
