import { InMemoryEventBus, InMemoryTopicLog, type LogPosition } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import type { ExecutionResult } from 'graphql';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { stockUpdatedEvent } from '../../../test/fixtures/stock-event.js';
import { waitFor } from '../../../test/harness/wait.js';
import type { EventExecution } from './executor.js';
import { FanOutGroup } from './hub.js';
import { SubscriptionMetrics } from './metrics.js';
import type { PreparedSubscription } from './planner.js';
import { ReplayReaders } from './replay.js';
import { readingSubscriber } from '../../../test/fixtures/reading-subscriber.js';
import type { Subscriber } from './subscriber.js';

const prepared = { key: 'op', field: 'stockUpdated', resumeVariables: [] } as unknown as PreparedSubscription;

/** A reading subscriber that tells whether it was released to the live stream. */
function reading(): { subscriber: Subscriber; received: ExecutionResult[]; released: () => boolean } {
  const { subscriber, received } = readingSubscriber((position: LogPosition) => position.join(','));
  let wasReleased = false;
  const release = subscriber.release.bind(subscriber);
  subscriber.release = (minVersion?: number) => {
    wasReleased = true;
    release(minVersion);
  };
  return { subscriber, received, released: () => wasReleased };
}

describe('replay readers', () => {
  it('serve subscribers resuming together from one reader, executing each event once per fan-out group', async () => {
    const bus = new InMemoryEventBus();
    for (let i = 0; i < 40; i += 1)
      await bus.publish('stock.updated', `p${i % 2}`, stockUpdatedEvent(`p${i % 2}`, i));
    const registry = new Registry();
    const executions: EventExecution[] = [];
    const readers = new ReplayReaders({
      log: new InMemoryTopicLog(bus),
      field: 'stockUpdated',
      topic: 'stock.updated',
      execute: (execution) => {
        executions.push(execution);
        return Promise.resolve({
          data: { available: (execution.rootValue['stockUpdated'] as { available: number }).available },
        });
      },
      cursorOf: (position) => position.join(','),
      metrics: new SubscriptionMetrics(registry),
      logger: createLogger('test'),
    });
    const onlyP0 = new FanOutGroup('p0', prepared, {}, { productId: 'p0' }, { kind: 'anonymous' });
    const everything = new FanOutGroup('all', prepared, {}, {}, { kind: 'anonymous' });
    // 100 subscribers of p0 resume after offset 10, 100 of everything after offset 20; live is at 40.
    const p0 = Array.from({ length: 100 }, () => reading());
    const all = Array.from({ length: 100 }, () => reading());
    for (const { subscriber } of p0) {
      subscriber.hold([10]);
      readers.replay({ subscriber, group: onlyP0, from: [10], until: [40] });
    }
    for (const { subscriber } of all) {
      subscriber.hold([20]);
      readers.replay({ subscriber, group: everything, from: [20], until: [40] });
    }
    await waitFor(() => [...p0, ...all].every(({ released }) => released()), {
      message: 'every replay to end',
    });
    await waitFor(() => readers.size === 0, { message: 'the reader to stop' });

    const values = (received: ExecutionResult[]) => received.map((result) => result.data?.['available']);
    const evens = Array.from({ length: 15 }, (_, i) => 10 + 2 * i);
    for (const { received } of p0) expect(values(received)).toEqual(evens);
    for (const { received } of all)
      expect(values(received)).toEqual(Array.from({ length: 20 }, (_, i) => 20 + i));
    expect(await registry.getSingleMetricAsString('gateway_subscription_replay_readers_total')).toContain(
      '} 1',
    );
    // 15 events of p0 for one group, 20 events for the other: 35 executions for 200 subscribers.
    expect(executions).toHaveLength(35);
    // Each result carries the position right after its event.
    expect(p0[0]?.received[0]?.extensions?.['cursor']).toBe('11');
  });
});
