import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { Handler, SubscribeOptions } from './bus.js';
import { consumer, subscribeAll } from './consumers.js';
import { createEnvelope } from './envelope.js';
import { InMemoryEventBus } from './memory-bus.js';
import type { TopicName, Topics } from './topics.js';

const origin = { source: 'test', correlationId: randomUUID() };

/** The in-process bus, refusing to subscribe one topic, and counting what is still subscribed. */
class RefusingBus extends InMemoryEventBus {
  active = 0;

  constructor(private readonly refused: TopicName) {
    super();
  }

  override async subscribe<T extends TopicName>(
    topic: T,
    group: string,
    handle: Handler<Topics[T]>,
    options?: SubscribeOptions,
  ): Promise<() => Promise<void>> {
    if (topic === this.refused) throw new Error(`cannot subscribe ${topic}`);
    const unsubscribe = await super.subscribe(topic, group, handle, options);
    this.active += 1;
    return async () => {
      this.active -= 1;
      await unsubscribe();
    };
  }
}

describe('subscribeAll', () => {
  it('subscribes every consumer under the group, and one call unsubscribes them all', async () => {
    const bus = new InMemoryEventBus();
    const seen: string[] = [];
    const unsubscribe = await subscribeAll(bus, 'g', [
      consumer('product.deleted', (event) => Promise.resolve(void seen.push(event.payload.productId))),
      consumer('user.created', () => Promise.resolve(void seen.push('user'))),
    ]);
    await bus.publish(
      'product.deleted',
      'p1',
      createEnvelope('product.deleted', { productId: 'p1' }, origin),
    );
    await vi.waitFor(() => expect(seen).toEqual(['p1']));
    await unsubscribe();
    // Another group sees p2: had the unsubscribed consumer still been there, it would have seen it first.
    const witness: string[] = [];
    await bus.subscribe('product.deleted', 'witness', (event) =>
      Promise.resolve(void witness.push(event.payload.productId)),
    );
    await bus.publish(
      'product.deleted',
      'p2',
      createEnvelope('product.deleted', { productId: 'p2' }, origin),
    );
    await vi.waitFor(() => expect(witness).toEqual(['p2']));
    expect(seen).toEqual(['p1']);
    await bus.close();
  });

  it('undoes the subscriptions that succeeded when one fails, and throws its error', async () => {
    const bus = new RefusingBus('user.created');
    const noop = (): Promise<void> => Promise.resolve();
    await expect(
      subscribeAll(bus, 'g', [
        consumer('product.deleted', noop),
        consumer('user.created', noop),
        consumer('stock.updated', noop),
      ]),
    ).rejects.toThrow('cannot subscribe user.created');
    expect(bus.active).toBe(0);
    await bus.close();
  });
});
