import { randomUUID } from 'node:crypto';
import { createEnvelope } from '@commerce/common/events';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../test/harness/wait.js';
import { SettlingEventBus } from './settling-bus.js';

const deleted = (productId: string = randomUUID()) =>
  createEnvelope('product.deleted', { productId }, { source: 'test', correlationId: randomUUID() });

describe('SettlingEventBus', () => {
  it('is settled only once every subscriber has handled every message', async () => {
    const bus = new SettlingEventBus({ maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 1 });
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
    await bus.publish('product.deleted', 'k', deleted());
    await bus.publish('product.deleted', 'k', deleted());
    expect(bus.settled).toBe(false);
    release();
    await waitFor(() => bus.settled, { timeoutMs: 2_000, intervalMs: 5 });
    expect(handled).toHaveLength(2);
    await bus.close();
  });

  it('counts a message that is dead-lettered as done, and one being retried as not', async () => {
    const bus = new SettlingEventBus({ maxAttempts: 3, initialBackoffMs: 20, maxBackoffMs: 20 });
    const attempts: number[] = [];
    await bus.subscribe(
      'product.deleted',
      'failing',
      (_event, delivery) => {
        attempts.push(delivery.attempt);
        return Promise.reject(new Error('database down'));
      },
      { fromBeginning: true },
    );
    await bus.publish('product.deleted', 'k', deleted());
    await waitFor(() => attempts.length === 1, { timeoutMs: 2_000, intervalMs: 1 });
    expect(bus.settled).toBe(false);
    await waitFor(() => bus.settled, { timeoutMs: 2_000, intervalMs: 5 });
    expect(attempts).toEqual([1, 2, 3]);
    expect(bus.inner.messages('product.deleted.dlq')).toHaveLength(1);
    await bus.close();
  });
});
