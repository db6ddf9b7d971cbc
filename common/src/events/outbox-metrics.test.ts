import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createEnvelope } from './envelope.js';
import { InMemoryEventBus } from './memory-bus.js';
import { registerOutboxMetrics } from './outbox-metrics.js';
import { OutboxRelay, type OutboxRecord, type PublishedBatch } from './outbox-relay.js';

describe('registerOutboxMetrics', () => {
  it("exports the relay's pending count as outbox_pending_events, read at each scrape", async () => {
    const registry = new Registry();
    let pending = 3;
    registerOutboxMetrics(registry, {
      pendingCount: () => Promise.resolve(pending),
      observe: () => () => true,
    });
    expect(await registry.metrics()).toContain('outbox_pending_events 3');
    pending = 0;
    expect(await registry.metrics()).toContain('outbox_pending_events 0');
  });

  it('times each batch from wake-up to acknowledgement and counts its events', async () => {
    const registry = new Registry();
    const envelope = (productId: string) =>
      createEnvelope('product.deleted', { productId }, { source: 'test', correlationId: randomUUID() });
    const records: OutboxRecord[] = ['a', 'b', 'c'].map((id) => ({
      id,
      topic: 'product.deleted',
      key: id,
      envelope: envelope(id),
    }));
    let claimed = false;
    const relay = new OutboxRelay(
      {
        async claim(_limit, publish) {
          if (claimed) return 0;
          claimed = true;
          await publish(records);
          return records.length;
        },
        pendingCount: () => Promise.resolve(0),
      },
      new InMemoryEventBus(),
      { logger: createLogger('outbox-metrics-test') },
    );
    registerOutboxMetrics(registry, relay);
    const batches: PublishedBatch[] = [];
    relay.observe((batch) => batches.push(batch));
    await relay.flush();
    const text = await registry.metrics();
    expect(text).toContain('outbox_relay_batch_size_count 1');
    expect(text).toContain('outbox_relay_batch_size_sum 3');
    expect(text).toContain('outbox_relay_wake_to_ack_seconds_count 1');
    expect(text).toContain(`outbox_relay_wake_to_ack_seconds_sum ${batches[0]?.wakeToAckSeconds}`);
  });
});
