import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import type { EventBus, Publication } from './bus.js';
import { createEnvelope, type Envelope } from './envelope.js';
import { InMemoryEventBus } from './memory-bus.js';
import { OutboxRelay, type OutboxRecord, type OutboxSource, type PublishRecords } from './outbox-relay.js';
import type { TopicName, Topics } from './topics.js';

const logger = createLogger('outbox-relay-test');
const origin = { source: 'test', correlationId: randomUUID() };

/** An outbox in memory: claims are exclusive, like the real sources'. */
class MemoryOutbox implements OutboxSource {
  readonly rows: { record: OutboxRecord; sent: boolean }[] = [];
  releases = 0;
  private busy = false;

  add(productId: string): OutboxRecord {
    const envelope = createEnvelope('product.deleted', { productId }, origin);
    const record = {
      id: String(this.rows.length + 1),
      topic: 'product.deleted' as const,
      key: productId,
      envelope,
    };
    this.rows.push({ record, sent: false });
    return record;
  }

  unsent(): number {
    return this.rows.filter((row) => !row.sent).length;
  }

  pendingCount(): Promise<number> {
    return Promise.resolve(this.unsent());
  }

  async claim(limit: number, publish: PublishRecords): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    try {
      const claimed = this.rows.filter((row) => !row.sent).slice(0, limit);
      const sent = new Set(await publish(claimed.map((row) => row.record)));
      for (const row of claimed) if (sent.has(row.record)) row.sent = true;
      return claimed.length;
    } finally {
      this.busy = false;
    }
  }

  release(): Promise<void> {
    this.releases += 1;
    return Promise.resolve();
  }
}

/** An in-memory bus that can be taken down, as a broker can. */
class FlakyBus extends InMemoryEventBus {
  down = false;
  delayMs = 0;
  /** Stores this many events of the next batch, then fails it (a partial failure). */
  failAfter: number | undefined;
  readonly published: string[] = [];
  /** The size of each batch the broker acknowledged. */
  readonly batches: number[] = [];
  calls = 0;

  override async publish<T extends TopicName>(
    topic: T,
    key: string,
    event: Envelope<Topics[T]>,
  ): Promise<void> {
    await this.reach();
    await super.publish(topic, key, event);
    this.published.push(event.metadata.eventId);
  }

  override async publishAll(events: readonly Publication[]): Promise<void> {
    await this.reach();
    if (this.failAfter !== undefined) {
      const stored = events.slice(0, this.failAfter);
      this.failAfter = undefined;
      await super.publishAll(stored);
      this.published.push(...stored.map(({ event }) => event.metadata.eventId));
      throw new Error('broker went away mid-batch');
    }
    await super.publishAll(events);
    this.published.push(...events.map(({ event }) => event.metadata.eventId));
    this.batches.push(events.length);
  }

  private async reach(): Promise<void> {
    this.calls += 1;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.down) throw new Error('broker unreachable');
  }
}

const eventIdOf = (record: OutboxRecord): string => (record.envelope as Envelope<unknown>).metadata.eventId;

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('OutboxRelay', () => {
  it('publishes pending events in outbox order and marks exactly those sent', async () => {
    const outbox = new MemoryOutbox();
    const bus = new FlakyBus();
    const records = ['a', 'b', 'a', 'c'].map((key) => outbox.add(key));
    const relay = new OutboxRelay(outbox, bus, { logger, batchSize: 3 });
    await relay.flush();
    expect(bus.published).toEqual(records.map(eventIdOf));
    expect(outbox.unsent()).toBe(0);
  });

  it('publishes each claim as one batch, in one request to the broker', async () => {
    const outbox = new MemoryOutbox();
    for (let i = 0; i < 7; i += 1) outbox.add(`k${i % 2}`);
    const bus = new FlakyBus();
    await new OutboxRelay(outbox, bus, { logger, batchSize: 3 }).flush();
    expect(bus.batches).toEqual([3, 3, 1]);
    expect(bus.calls).toBe(3);
  });

  it('marks nothing sent from a batch that failed part-way, and publishes it again whole, keeping each key’s order', async () => {
    const outbox = new MemoryOutbox();
    const records = ['a', 'b', 'a', 'b', 'a'].map((key) => outbox.add(key));
    const bus = new FlakyBus();
    bus.failAfter = 2;
    const relay = new OutboxRelay(outbox, bus, { logger, pollIntervalMs: 10, maxBackoffMs: 20 });
    relay.start();
    await until(() => outbox.unsent() === 0);
    await relay.stop();
    // The two events stored before the failure reach the log twice (consumers skip the duplicates).
    expect(bus.published).toEqual([...records.slice(0, 2), ...records].map(eventIdOf));
    const firstSeen = [...new Set(bus.published)];
    expect(firstSeen).toEqual(records.map(eventIdOf));
    expect(bus.batches).toEqual([5]);
  });

  it('publishes one event at a time through a bus without publishAll', async () => {
    const outbox = new MemoryOutbox();
    const records = ['a', 'b', 'a'].map((key) => outbox.add(key));
    const inner = new FlakyBus();
    const bus: EventBus = {
      publish: (topic, key, event) => inner.publish(topic, key, event),
      subscribe: (topic, group, handle, options) => inner.subscribe(topic, group, handle, options),
      close: () => inner.close(),
    };
    await new OutboxRelay(outbox, bus, { logger }).flush();
    expect(inner.published).toEqual(records.map(eventIdOf));
    expect(inner.calls).toBe(3);
    expect(outbox.unsent()).toBe(0);
  });

  it('tells its observers the size of each acknowledged batch and the time from wake-up to acknowledgement', async () => {
    const outbox = new MemoryOutbox();
    const bus = new FlakyBus();
    bus.delayMs = 30;
    const relay = new OutboxRelay(outbox, bus, { logger, pollIntervalMs: 60_000 });
    const seen: { size: number; wakeToAckSeconds: number }[] = [];
    relay.observe((batch) => seen.push(batch));
    relay.start();
    for (const key of ['a', 'b', 'c']) outbox.add(key);
    relay.notify();
    await until(() => seen.length === 1);
    await relay.stop();
    expect(seen[0]?.size).toBe(3);
    expect(seen[0]?.wakeToAckSeconds).toBeGreaterThanOrEqual(0.025);
    expect(seen[0]?.wakeToAckSeconds).toBeLessThan(1);
  });

  it('is woken by its source’s watch (writes of other processes), and stops watching when stopped', async () => {
    const outbox = new MemoryOutbox();
    const watching: { wake: () => void; stopped: boolean }[] = [];
    const watched: OutboxSource = {
      claim: (limit, publish) => outbox.claim(limit, publish),
      pendingCount: () => outbox.pendingCount(),
      watch(wake) {
        const watch = { wake, stopped: false };
        watching.push(watch);
        return () => Promise.resolve(void (watch.stopped = true));
      },
    };
    const bus = new FlakyBus();
    const relay = new OutboxRelay(watched, bus, { logger });
    relay.start();
    expect(watching).toHaveLength(1);
    // Polling is only the fallback of a watched source: 2 s unless set.
    await new Promise((resolve) => setTimeout(resolve, 50));
    outbox.add('a');
    watching[0]?.wake();
    await until(() => outbox.unsent() === 0, 1_000);
    await relay.stop();
    expect(watching[0]?.stopped).toBe(true);
  });

  it('reports degraded while the broker refuses events, keeps them, and is ok once they went out', async () => {
    const outbox = new MemoryOutbox();
    const bus = new FlakyBus();
    bus.down = true;
    const relay = new OutboxRelay(outbox, bus, { logger, pollIntervalMs: 10, maxBackoffMs: 20 });
    relay.start();
    expect(relay.health).toBe('ok');
    outbox.add('p1');
    relay.notify();
    await until(() => relay.health === 'degraded');
    outbox.add('p2');
    relay.notify();
    expect(outbox.unsent()).toBe(2);

    bus.down = false;
    await until(() => outbox.unsent() === 0);
    await until(() => relay.health === 'ok');
    expect(bus.published).toHaveLength(2);
    await relay.stop();
  });

  it('publishes at once on notify, also when notified while a batch was in hand', async () => {
    const outbox = new MemoryOutbox();
    const bus = new FlakyBus();
    bus.delayMs = 20;
    // A poll interval far beyond the test: only notify() can make these go out in time.
    const relay = new OutboxRelay(outbox, bus, { logger, pollIntervalMs: 60_000 });
    relay.start();
    outbox.add('a');
    relay.notify();
    await until(() => bus.calls === 1 && bus.published.length === 0);
    outbox.add('b');
    relay.notify();
    await until(() => outbox.unsent() === 0, 2_000);
    await relay.stop();
  });

  it('stops after the batch in hand, leaves the rest pending and releases the source', async () => {
    const outbox = new MemoryOutbox();
    for (let i = 0; i < 10; i += 1) outbox.add(`k${i}`);
    const bus = new FlakyBus();
    bus.delayMs = 30;
    const relay = new OutboxRelay(outbox, bus, { logger, batchSize: 3 });
    relay.start();
    await until(() => bus.published.length > 0);
    await relay.stop();
    expect(bus.published.length).toBeLessThan(10);
    expect(outbox.unsent()).toBe(10 - bus.published.length);
    expect(outbox.releases).toBe(1);

    // A relay started again publishes what was left, once.
    bus.delayMs = 0;
    await new OutboxRelay(outbox, bus, { logger }).flush();
    expect(new Set(bus.published).size).toBe(10);
    expect(bus.published).toHaveLength(10);
  });
});
