import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createEnvelope, type Envelope } from './envelope.js';
import { createKafkaClient, KafkaEventBus } from './kafka-bus.js';
import type { Topics } from './topics.js';

const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
const logger = createLogger('kafka-bus-test');
const origin = { source: 'test', correlationId: randomUUID() };
const prefix = `t-${randomUUID().slice(0, 8)}-`;

const retryPolicy = { maxAttempts: 3, initialBackoffMs: 20, maxBackoffMs: 50 };
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
    retry: retryPolicy,
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
        version: available + 1,
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

  describe('while a transient failure lasts (a database down)', () => {
    const connectionRefused = (): Error =>
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const groupId = (group: string): string => `${prefix}${group}.product.deleted`;

    /** A handler of one product's deletion that fails while `state.down`, recording each attempt. */
    function flaky(productId: string, state: { down: boolean; slowFirstAttemptMs?: number }) {
      const attempts: number[] = [];
      let handled = 0;
      const handle = async (event: Envelope<Topics['product.deleted']>, delivery: { attempt: number }) => {
        if (event.payload.productId !== productId) return;
        attempts.push(delivery.attempt);
        // Like a driver waiting out its server selection timeout before it gives up.
        if (delivery.attempt === 1 && state.slowFirstAttemptMs)
          await new Promise((resolve) => setTimeout(resolve, state.slowFirstAttemptMs));
        if (state.down) throw connectionRefused();
        handled += 1;
      };
      return { attempts, handle, handled: () => handled };
    }

    /** Messages on product.deleted.dlq (retried: a topic just created may not have its leader known yet). */
    async function deadLetterCount(admin: Admin): Promise<number> {
      for (let tries = 1; ; tries += 1) {
        try {
          const offsets = await admin.fetchTopicOffsets(`${prefix}product.deleted.dlq`);
          return offsets.reduce((sum, { high }) => sum + Number(high), 0);
        } catch (error) {
          if (tries >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    }

    async function members(admin: Admin, group: string): Promise<{ state: string; memberIds: string[] }> {
      const { groups } = await admin.describeGroups([groupId(group)]);
      const [described] = groups;
      return {
        state: described?.state ?? 'none',
        memberIds: (described?.members ?? []).map((m) => m.memberId),
      };
    }

    let admin: Admin;
    beforeAll(async () => {
      admin = kafka.admin();
      await admin.connect();
    });
    afterAll(async () => {
      await admin.disconnect();
    });

    it('keeps its group membership for longer than the session timeout (one attempt alone outlasting it), then handles the message once', async () => {
      const productId = randomUUID();
      const state = { down: true, slowFirstAttemptMs: 12_000 };
      const flakyHandler = flaky(productId, state);
      const deadLettersBefore = await deadLetterCount(admin);
      const stop = await bus.subscribe('product.deleted', 'patient', flakyHandler.handle, {
        fromBeginning: true,
      });
      await bus.publish(
        'product.deleted',
        productId,
        createEnvelope('product.deleted', { productId }, origin),
      );
      await waitFor(() => flakyHandler.attempts.length === 1, 'the first attempt');
      const joined = await members(admin, 'patient');
      expect(joined.state).toBe('Stable');
      expect(joined.memberIds).toHaveLength(1);

      // 12 s in the first attempt, then fast failures: 15 s in all, past the 10 s session timeout.
      const seen = new Set<string>();
      const outage = Date.now();
      while (Date.now() - outage < 15_000) {
        const now = await members(admin, 'patient');
        seen.add(`${now.state} ${now.memberIds.join(',')}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(flakyHandler.attempts.length).toBeGreaterThan(retryPolicy.maxAttempts);
      state.down = false;
      await waitFor(() => flakyHandler.handled() === 1, 'the message handled once the database is back');

      expect([...seen]).toEqual([`Stable ${joined.memberIds[0]}`]);
      // One delivery, never handed back: attempts 1, 2, 3, ... without a restart.
      expect(flakyHandler.attempts).toEqual(flakyHandler.attempts.map((_, index) => index + 1));
      expect(await deadLetterCount(admin)).toBe(deadLettersBefore);
      await stop();
    }, 60_000);

    it('a consumer stopped while it retries hands the message back uncommitted: the next consumer of its group handles it', async () => {
      const productId = randomUUID();
      const first = flaky(productId, { down: true });
      const stopFirst = await bus.subscribe('product.deleted', 'handback', first.handle, {
        fromBeginning: true,
      });
      await bus.publish(
        'product.deleted',
        productId,
        createEnvelope('product.deleted', { productId }, origin),
      );
      await waitFor(() => first.attempts.length >= 3, 'a few attempts');
      const stopping = Date.now();
      await stopFirst();
      expect(Date.now() - stopping).toBeLessThan(5_000);

      const next = flaky(productId, { down: false });
      const stopNext = await bus.subscribe('product.deleted', 'handback', next.handle, {
        fromBeginning: true,
      });
      await waitFor(() => next.handled() === 1, 'the next consumer to handle the message');
      expect(next.attempts).toEqual([1]);
      expect(first.handled()).toBe(0);
      await stopNext();
    });

    it('a rebalance while it retries does not wait for the outage: the message is handed back, the group rebalances, and the message is handled once when the database is back', async () => {
      const productId = randomUUID();
      const state = { down: true };
      const first = flaky(productId, state);
      const second = flaky(productId, state);
      const stopFirst = await bus.subscribe('product.deleted', 'rebalance', first.handle, {
        fromBeginning: true,
      });
      await bus.publish(
        'product.deleted',
        productId,
        createEnvelope('product.deleted', { productId }, origin),
      );
      await waitFor(() => first.attempts.length >= 3, 'a few attempts');

      // A second member joins: the first must rejoin for the rebalance to complete.
      const joining = Date.now();
      const stopSecond = await bus.subscribe('product.deleted', 'rebalance', second.handle, {
        fromBeginning: true,
      });
      const joinMs = Date.now() - joining;
      expect(joinMs).toBeLessThan(15_000);
      expect((await members(admin, 'rebalance')).memberIds).toHaveLength(2);
      // The first member handed its message back to rejoin: it is delivered again, from attempt 1.
      const firstAttempts = (): number =>
        [...first.attempts, ...second.attempts].filter((attempt) => attempt === 1).length;
      await waitFor(() => firstAttempts() === 2, 'the message delivered again after the rebalance');

      state.down = false;
      await waitFor(() => first.handled() + second.handled() === 1, 'the message handled');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(first.handled() + second.handled()).toBe(1);
      await Promise.all([stopFirst(), stopSecond()]);
    }, 60_000);
  });
});
