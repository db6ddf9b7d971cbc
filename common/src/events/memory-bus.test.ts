import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unavailable } from '../errors.js';
import type { Envelope } from './envelope.js';
import { createEnvelope } from './envelope.js';
import { InMemoryEventBus } from './memory-bus.js';

const origin = { source: 'test', correlationId: randomUUID() };
const deleted = (productId: string) => createEnvelope('product.deleted', { productId }, origin);

function collect(): {
  events: Envelope<{ productId: string }>[];
  handle: (e: Envelope<{ productId: string }>) => Promise<void>;
} {
  const events: Envelope<{ productId: string }>[] = [];
  return { events, handle: (event) => Promise.resolve(void events.push(event)) };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('InMemoryEventBus', () => {
  it('delivers every event to each group, in publish order', async () => {
    const bus = new InMemoryEventBus();
    const a = collect();
    const b = collect();
    await bus.subscribe('product.deleted', 'a', a.handle);
    await bus.subscribe('product.deleted', 'b', b.handle);
    for (const id of ['1', '2', '3']) await bus.publish('product.deleted', id, deleted(id));
    await until(() => a.events.length === 3 && b.events.length === 3);
    expect(a.events.map((e) => e.payload.productId)).toEqual(['1', '2', '3']);
    await bus.close();
  });

  it('a new group starts at the latest offset unless it asks for the beginning', async () => {
    const bus = new InMemoryEventBus();
    await bus.publish('product.deleted', 'old', deleted('old'));
    const latest = collect();
    const earliest = collect();
    await bus.subscribe('product.deleted', 'latest', latest.handle);
    await bus.subscribe('product.deleted', 'earliest', earliest.handle, { fromBeginning: true });
    await bus.publish('product.deleted', 'new', deleted('new'));
    await until(() => earliest.events.length === 2 && latest.events.length === 1);
    expect(latest.events[0]?.payload.productId).toBe('new');
    await bus.close();
  });

  it('refuses to publish an invalid event', async () => {
    const bus = new InMemoryEventBus();
    const bad = { ...deleted('x'), payload: { productId: '' } };
    await expect(bus.publish('product.deleted', 'x', bad)).rejects.toThrow(/Invalid product.deleted/);
  });

  it('sends a malformed message to the dead-letter topic and goes on with the next one', async () => {
    const bus = new InMemoryEventBus();
    const seen = collect();
    await bus.subscribe('product.deleted', 'g', seen.handle);
    bus.publishRaw('product.deleted', { key: 'k', value: '{oops', headers: {} });
    await bus.publish('product.deleted', 'ok', deleted('ok'));
    await until(() => seen.events.length === 1 && bus.messages('product.deleted.dlq').length === 1);
    const dead = bus.messages('product.deleted.dlq')[0];
    expect(dead?.value).toBe('{oops');
    expect(dead?.headers['dlq-error']).toMatch(/not JSON/);
    expect(dead?.headers['dlq-group']).toBe('g');
    await bus.close();
  });

  it('is settled only once every consumer has handled every message', async () => {
    const bus = new InMemoryEventBus({ maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 1 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handled: string[] = [];
    await bus.subscribe(
      'product.deleted',
      'slow',
      async (event) => {
        await gate;
        handled.push(event.payload.productId);
      },
      { fromBeginning: true },
    );
    expect(bus.settled).toBe(true);
    await bus.publish('product.deleted', 'k', deleted('a'));
    await bus.publish('product.deleted', 'k', deleted('b'));
    expect(bus.settled).toBe(false);
    release();
    await until(() => bus.settled);
    expect(handled).toEqual(['a', 'b']);
    await bus.close();
  });

  it('counts a dead-lettered message as settled, and one waiting for its dependency as not', async () => {
    const bus = new InMemoryEventBus({ maxAttempts: 3, initialBackoffMs: 5, maxBackoffMs: 5 });
    let databaseUp = false;
    const attempts: number[] = [];
    await bus.subscribe(
      'product.deleted',
      'g',
      (event, delivery) => {
        attempts.push(delivery.attempt);
        if (event.payload.productId === 'bug') return Promise.reject(new Error('a bug'));
        return databaseUp ? Promise.resolve() : Promise.reject(unavailable('database down'));
      },
      { fromBeginning: true },
    );
    await bus.publish('product.deleted', 'k', deleted('bug'));
    await until(() => bus.settled);
    expect(bus.messages('product.deleted.dlq')).toHaveLength(1);

    await bus.publish('product.deleted', 'k', deleted('waits'));
    await until(() => attempts.length >= 10);
    expect(bus.settled).toBe(false);
    databaseUp = true;
    await until(() => bus.settled);
    expect(bus.messages('product.deleted.dlq')).toHaveLength(1);
    await bus.close();
  });

  it('close() during a backoff returns at once, leaving the message unsettled rather than dead-lettered', async () => {
    const bus = new InMemoryEventBus({ maxAttempts: 3, initialBackoffMs: 60_000, maxBackoffMs: 60_000 });
    let calls = 0;
    await bus.subscribe('product.deleted', 'g', () => {
      calls += 1;
      return Promise.reject(unavailable('database down'));
    });
    await bus.publish('product.deleted', 'k', deleted('x'));
    await until(() => calls === 1);
    const started = Date.now();
    await bus.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toBe(1);
    expect(bus.messages('product.deleted.dlq')).toHaveLength(0);
  });
});
