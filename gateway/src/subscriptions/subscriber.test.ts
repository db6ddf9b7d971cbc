import type { LogPosition } from '@commerce/common/events';
import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { stockUpdatedEvent } from '../../../test/fixtures/stock-event.js';
import { readingSubscriber } from '../../../test/fixtures/reading-subscriber.js';
import { withExtensions, type PositionedEvent } from './subscriber.js';

const cursorOf = (position: LogPosition) => `cursor:${position.join(',')}`;

const subscriber = () => readingSubscriber(cursorOf);

/** A stock event at `offset` of partition 0 (one-partition topic), with its shared result. */
function event(offset: number, version?: number): { event: PositionedEvent; result: ExecutionResult } {
  const envelope = stockUpdatedEvent('p1', offset);
  if (version !== undefined) Object.assign(envelope.payload, { version });
  const position = [offset + 1];
  return {
    event: { input: { field: 'stockUpdated', event: envelope }, partition: 0, offset, position },
    result: withExtensions({ data: { offset } }, { cursor: cursorOf(position) }),
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const offsets = (received: ExecutionResult[]) => received.map((result) => result.data?.['offset']);

describe('a resuming subscriber', () => {
  it('holds live results during its replay, then delivers them after it, skipping what it already had', async () => {
    const { subscriber: resuming, received } = subscriber();
    resuming.hold([5]);
    // Live events arrive while the replay runs: offsets 7 and 8 (the replay covers 5 and 6).
    for (const offset of [7, 8]) {
      const live = event(offset);
      resuming.deliver(live.result, live.event, undefined);
    }
    for (const offset of [5, 6]) {
      const replayed = event(offset);
      resuming.replayed(replayed.result, replayed.event);
    }
    await flush();
    expect(offsets(received)).toEqual([5, 6]);
    resuming.release();
    const next = event(9);
    resuming.deliver(next.result, next.event, undefined);
    await flush();
    expect(offsets(received)).toEqual([5, 6, 7, 8, 9]);
  });

  it('skips live events before a cursor from an instance that was ahead, and never hands out a cursor behind it', async () => {
    const { subscriber: resuming, received } = subscriber();
    resuming.hold([10]);
    resuming.release();
    for (const offset of [8, 9, 10]) {
      const live = event(offset);
      resuming.deliver(live.result, live.event, undefined);
    }
    await flush();
    expect(offsets(received)).toEqual([10]);
    expect(received[0]?.extensions?.['cursor']).toBe('cursor:11');
  });

  it('after a snapshot, delivers only the events with a higher version', async () => {
    const { subscriber: resuming, received } = subscriber();
    resuming.hold();
    for (const [offset, version] of [
      [1, 4],
      [2, 5],
      [3, 6],
    ] as const) {
      const live = event(offset, version);
      resuming.deliver(live.result, live.event, undefined);
    }
    resuming.release(5);
    const later = event(4, 7);
    resuming.deliver(later.result, later.event, undefined);
    await flush();
    expect(offsets(received)).toEqual([3, 4]);
  });
});
