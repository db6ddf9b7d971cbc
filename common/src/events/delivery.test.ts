import { describe, expect, it } from 'vitest';
import { AppError, unavailable } from '../errors.js';
import {
  backoffMs,
  deliverWithRetry,
  type DeliveryEnd,
  type DeliveryMonitor,
  type FailedAttempt,
} from './delivery.js';
import { InvalidEventError } from './envelope.js';

const policy = { maxAttempts: 4, initialBackoffMs: 10, maxBackoffMs: 25 };
const connectionRefused = (): Error =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A sleep that records the pauses instead of waiting. */
function recordingSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: (ms) => Promise.resolve(void sleeps.push(ms)) };
}

/** A monitor that records what it is told. */
function recordingMonitor(): DeliveryMonitor & { retries: FailedAttempt[]; ends: DeliveryEnd[] } {
  const retries: FailedAttempt[] = [];
  const ends: DeliveryEnd[] = [];
  return {
    retries,
    ends,
    retrying: (_delivery, failure) => void retries.push(failure),
    finished: (_delivery, end) => void ends.push(end),
  };
}

const delivery = { group: 'g', topic: 'order.placed', partition: 0, offset: '7' };

describe('backoffMs', () => {
  it('doubles from the initial pause and stops at the cap (200 ms to 5 s by default)', () => {
    const fiveSeconds = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 5_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 100, 10_000].map((n) => backoffMs(fiveSeconds, n))).toEqual([
      200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000, 5_000,
    ]);
  });
});

describe('deliverWithRetry', () => {
  it('retries an unexpected error with capped exponential backoff until the handler succeeds', async () => {
    const { sleeps, sleep } = recordingSleep();
    let calls = 0;
    const outcome = await deliverWithRetry(
      () => (++calls < 3 ? Promise.reject(new Error('something odd')) : Promise.resolve()),
      policy,
      { sleep },
    );
    expect(outcome).toEqual({ kind: 'handled', attempts: 3 });
    expect(sleeps).toEqual([10, 20]);
  });

  it('dead-letters an unexpected error after maxAttempts, with the error text', async () => {
    const { sleep } = recordingSleep();
    const outcome = await deliverWithRetry(() => Promise.reject(new Error('bug')), policy, { sleep });
    expect(outcome).toEqual({ kind: 'dead-letter', attempts: 4, error: 'Error: bug' });
  });

  it('retries a transient failure far beyond maxAttempts, at the capped pause, and never dead-letters it', async () => {
    const { sleeps, sleep } = recordingSleep();
    let calls = 0;
    const outcome = await deliverWithRetry(
      () => (++calls <= 50 ? Promise.reject(connectionRefused()) : Promise.resolve()),
      policy,
      { sleep },
    );
    expect(outcome).toEqual({ kind: 'handled', attempts: 51 });
    expect(sleeps.slice(0, 4)).toEqual([10, 20, 25, 25]);
    expect(sleeps).toHaveLength(50);
    expect(new Set(sleeps.slice(2))).toEqual(new Set([25]));
  });

  it('treats a retriable AppError (UNAVAILABLE) as transient', async () => {
    const { sleep } = recordingSleep();
    let calls = 0;
    const outcome = await deliverWithRetry(
      () => (++calls <= 10 ? Promise.reject(unavailable('store down')) : Promise.resolve()),
      policy,
      { sleep },
    );
    expect(outcome).toEqual({ kind: 'handled', attempts: 11 });
  });

  it('dead-letters invalid messages and non-retriable errors at once', async () => {
    const invalid = await deliverWithRetry(() => Promise.reject(new InvalidEventError('bad')), policy);
    expect(invalid).toMatchObject({ kind: 'dead-letter', attempts: 1 });
    const rule = await deliverWithRetry(() => Promise.reject(new AppError('BAD_USER_INPUT', 'no')), policy);
    expect(rule).toMatchObject({ kind: 'dead-letter', attempts: 1, error: 'AppError: no' });
  });

  it('hands the message back unfinished when the backoff throws (the consumer stops), without an outcome', async () => {
    const stopping = new Error('stopping');
    let calls = 0;
    const monitor = recordingMonitor();
    await expect(
      deliverWithRetry(
        () => {
          calls += 1;
          return Promise.reject(connectionRefused());
        },
        policy,
        {
          sleep: (ms) => (ms > 10 ? Promise.reject(stopping) : Promise.resolve()),
          monitor: { monitor, delivery },
        },
      ),
    ).rejects.toBe(stopping);
    expect(calls).toBe(2);
    expect(monitor.ends).toEqual(['released']);
  });

  it('tells the monitor of each retry, with its kind and pause, and of the end of each message', async () => {
    const { sleep } = recordingSleep();
    const monitor = recordingMonitor();
    let calls = 0;
    const failures = [connectionRefused(), new Error('odd')];
    await deliverWithRetry(
      () => {
        const failure = failures[calls++];
        return failure ? Promise.reject(failure) : Promise.resolve();
      },
      policy,
      { sleep, monitor: { monitor, delivery } },
    );
    expect(monitor.retries).toEqual([
      { attempt: 1, kind: 'transient', error: 'Error: connect ECONNREFUSED 127.0.0.1:5432', delayMs: 10 },
      { attempt: 2, kind: 'unexpected', error: 'Error: odd', delayMs: 20 },
    ]);
    expect(monitor.ends).toEqual(['handled']);

    await deliverWithRetry(() => Promise.reject(new InvalidEventError('bad')), policy, {
      monitor: { monitor, delivery },
    });
    expect(monitor.ends).toEqual(['handled', 'dead-lettered']);
  });
});
