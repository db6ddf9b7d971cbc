import { isRetriable } from '../errors.js';
import { InvalidEventError } from './envelope.js';

/** How a consumer retries a failing handler before dead-lettering the message. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 100, maxBackoffMs: 5_000 };

export type DeliveryOutcome =
  | { readonly kind: 'handled'; readonly attempts: number }
  | { readonly kind: 'dead-letter'; readonly attempts: number; readonly error: string };

/**
 * Runs `attempt` until it succeeds, retrying retriable errors with exponential backoff.
 * Invalid messages and non-retriable errors are dead-lettered at once; retriable ones after
 * `maxAttempts`. Never throws: one bad message must not stop a partition.
 */
export async function deliverWithRetry(
  attempt: (attemptNumber: number) => Promise<void>,
  policy: RetryPolicy = defaultRetryPolicy,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<DeliveryOutcome> {
  for (let attempts = 1; ; attempts += 1) {
    try {
      await attempt(attempts);
      return { kind: 'handled', attempts };
    } catch (error) {
      const message = describeError(error);
      const retriable = !(error instanceof InvalidEventError) && isRetriable(error);
      if (!retriable || attempts >= policy.maxAttempts)
        return { kind: 'dead-letter', attempts, error: message };
      await sleep(Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attempts - 1)));
    }
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
