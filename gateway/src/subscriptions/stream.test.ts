import { describe, expect, it, vi } from 'vitest';
import { SubscriberStream, type Delivery } from './stream.js';

const delivery = (n: number): Delivery => ({ result: { data: { n } }, occurredAtMs: n });

function stream(bufferedBytes = 0, maxQueued = 2) {
  const calls = { overflow: vi.fn(), end: vi.fn(), deliver: vi.fn(), coalesced: vi.fn() };
  const subject = new SubscriberStream({
    limits: { maxQueued, maxBufferedBytes: 1_000 },
    bufferedBytes: () => bufferedBytes,
    onOverflow: calls.overflow,
    onEnd: calls.end,
    onDeliver: calls.deliver,
    onCoalesced: calls.coalesced,
  });
  return { subject, calls };
}

describe('SubscriberStream', () => {
  it('hands a pushed result to a waiting reader at once', async () => {
    const { subject, calls } = stream();
    const next = subject.next();
    expect(subject.push(delivery(1))).toBe('queued');
    expect(await next).toEqual({ value: { data: { n: 1 } }, done: false });
    expect(calls.deliver).toHaveBeenCalledWith(delivery(1));
  });

  it('queues results while the reader is busy and yields them in order', async () => {
    const { subject } = stream();
    subject.push(delivery(1));
    subject.push(delivery(2));
    expect((await subject.next()).value).toEqual({ data: { n: 1 } });
    expect((await subject.next()).value).toEqual({ data: { n: 2 } });
  });

  it('coalesces stock of a lagging reader to the latest state per product', async () => {
    const { subject, calls } = stream();
    subject.push(delivery(1), 'p1');
    subject.push(delivery(2), 'p2');
    expect(subject.push(delivery(3), 'p1')).toBe('coalesced');
    expect(calls.coalesced).toHaveBeenCalledOnce();
    expect((await subject.next()).value).toEqual({ data: { n: 2 } });
    expect((await subject.next()).value).toEqual({ data: { n: 3 } });
  });

  it('ends a reader too far behind and reports the overflow once', async () => {
    const { subject, calls } = stream();
    subject.push(delivery(1));
    subject.push(delivery(2));
    expect(subject.push(delivery(3))).toBe('overflow');
    expect(subject.push(delivery(4))).toBe('ended');
    expect(calls.overflow).toHaveBeenCalledOnce();
    expect(calls.end).toHaveBeenCalledOnce();
    expect(await subject.next()).toEqual({ value: undefined, done: true });
  });

  it('delivers what is queued before completing on end()', async () => {
    const { subject, calls } = stream();
    subject.push(delivery(1));
    subject.end();
    expect(calls.end).toHaveBeenCalledOnce();
    expect((await subject.next()).value).toEqual({ data: { n: 1 } });
    expect((await subject.next()).done).toBe(true);
  });

  it('resolves a waiting reader as done when the client completes', async () => {
    const { subject, calls } = stream();
    const next = subject.next();
    await subject.return();
    expect(await next).toEqual({ value: undefined, done: true });
    await subject.return();
    expect(calls.end).toHaveBeenCalledOnce();
  });
});
