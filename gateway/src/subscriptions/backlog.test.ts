import { describe, expect, it } from 'vitest';
import { admit, type BacklogLimits, type Queued } from './backlog.js';

const limits: BacklogLimits = { maxQueued: 3, maxBufferedBytes: 1_000 };
const item = (value: string, coalesceKey?: string): Queued<string> => ({ value, coalesceKey });

describe('admit', () => {
  it('queues every item while the subscriber keeps up', () => {
    const queue: Queued<string>[] = [];
    expect(admit(queue, item('a', 'p1'), 0, limits)).toBe('queued');
    expect(admit(queue, item('b', 'p1'), 0, limits)).toBe('queued');
    expect(queue.map((q) => q.value)).toEqual(['a', 'b']);
  });

  it('keeps only the latest state per product once the queue is full', () => {
    const queue = [item('p1 v1', 'p1'), item('p2 v1', 'p2'), item('p1 v2', 'p1')];
    expect(admit(queue, item('p1 v3', 'p1'), 0, limits)).toBe('coalesced');
    expect(queue.map((q) => q.value)).toEqual(['p2 v1', 'p1 v3']);
  });

  it('coalesces when the socket holds too many unsent bytes, even with room in the queue', () => {
    const queue = [item('p1 v1', 'p1')];
    expect(admit(queue, item('p1 v2', 'p1'), 5_000, limits)).toBe('coalesced');
    expect(queue.map((q) => q.value)).toEqual(['p1 v2']);
  });

  it('overflows when the queue is still full after coalescing', () => {
    const queue = [item('a', 'p1'), item('b', 'p2'), item('c', 'p3')];
    expect(admit(queue, item('d', 'p4'), 0, limits)).toBe('overflow');
    expect(queue).toHaveLength(3);
  });

  it('overflows at once for items that must not be skipped (orders, alerts)', () => {
    const queue = [item('a'), item('b'), item('c')];
    expect(admit(queue, item('d'), 0, limits)).toBe('overflow');
    expect(admit([], item('e'), 5_000, limits)).toBe('overflow');
  });
});
