import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { deliverWithRetry } from './delivery.js';
import { InvalidEventError } from './envelope.js';

const policy = { maxAttempts: 4, initialBackoffMs: 10, maxBackoffMs: 25 };

describe('deliverWithRetry', () => {
  it('retries retriable errors with capped exponential backoff until the handler succeeds', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const outcome = await deliverWithRetry(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(new Error('connection reset')) : Promise.resolve();
      },
      policy,
      (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    );
    expect(outcome).toEqual({ kind: 'handled', attempts: 3 });
    expect(sleeps).toEqual([10, 20]);
  });

  it('dead-letters after maxAttempts of a retriable error, with the error text', async () => {
    const outcome = await deliverWithRetry(
      () => Promise.reject(new Error('db down')),
      policy,
      () => Promise.resolve(),
    );
    expect(outcome).toEqual({ kind: 'dead-letter', attempts: 4, error: 'Error: db down' });
  });

  it('dead-letters invalid messages and non-retriable errors at once', async () => {
    const invalid = await deliverWithRetry(() => Promise.reject(new InvalidEventError('bad')), policy);
    expect(invalid).toMatchObject({ kind: 'dead-letter', attempts: 1 });
    const rule = await deliverWithRetry(() => Promise.reject(new AppError('BAD_USER_INPUT', 'no')), policy);
    expect(rule).toMatchObject({ kind: 'dead-letter', attempts: 1, error: 'AppError: no' });
  });
});
