import { failureKind } from '../errors.js';
import { InvalidEventError } from './envelope.js';

/**
 * How a consumer retries a failing handler. A transient failure (a database or broker unreachable,
 * a timeout) is retried without limit: the message waits for its dependency. Backoff doubles from
 * `initialBackoffMs` up to `maxBackoffMs`.
 */
export interface RetryPolicy {
  /** Attempts at an unexpected error (neither transient nor one of ours) before it is dead-lettered. */
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 5_000 };

/** The pause after failed attempt number `attempt` (1, 2, ...): doubling, capped. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.min(attempt - 1, 30));
}

export type DeliveryOutcome =
  | { readonly kind: 'handled'; readonly attempts: number }
  | { readonly kind: 'dead-letter'; readonly attempts: number; readonly error: string };

/** A failed attempt that will be tried again after `delayMs`. */
export interface FailedAttempt {
  readonly attempt: number;
  /** `transient`: retried until the dependency is back; `unexpected`: until maxAttempts. */
  readonly kind: 'transient' | 'unexpected';
  readonly error: string;
  readonly delayMs: number;
}

/** The message a consumer has in hand. */
export interface MonitoredDelivery {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** How a message left the consumer: done with, or handed back unfinished (stop, lost partition). */
export type DeliveryEnd = 'handled' | 'dead-lettered' | 'released';

/** Told how a consumer's deliveries go (SubscribeOptions.monitor): health checks and metrics. */
export interface DeliveryMonitor {
  /** An attempt failed; the message will be tried again. */
  retrying(delivery: MonitoredDelivery, failure: FailedAttempt): void;
  /** Once per message, when it leaves the consumer. */
  finished(delivery: MonitoredDelivery, end: DeliveryEnd): void;
}

export interface DeliveryHooks {
  /**
   * Waits before the next attempt (default: a timer). It may throw to hand the message back
   * unfinished (the consumer is stopping, or lost its partition): deliverWithRetry rethrows it.
   */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly monitor?: { readonly monitor: DeliveryMonitor; readonly delivery: MonitoredDelivery };
}

/**
 * Runs `attempt` until it succeeds. Transient failures are retried with capped exponential backoff
 * for as long as they last; unexpected errors up to `maxAttempts`; invalid messages and our
 * non-retriable errors are dead-lettered at once. Throws only what `hooks.sleep` throws: one bad
 * message must not stop a partition.
 */
export async function deliverWithRetry(
  attempt: (attemptNumber: number) => Promise<void>,
  policy: RetryPolicy = defaultRetryPolicy,
  hooks: DeliveryHooks = {},
): Promise<DeliveryOutcome> {
  const sleep = hooks.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const report = hooks.monitor;
  let end: DeliveryEnd = 'released';
  try {
    for (let attempts = 1; ; attempts += 1) {
      try {
        await attempt(attempts);
        end = 'handled';
        return { kind: 'handled', attempts };
      } catch (error) {
        const message = describeError(error);
        const kind = error instanceof InvalidEventError ? 'permanent' : failureKind(error);
        if (kind === 'permanent' || (kind === 'unexpected' && attempts >= policy.maxAttempts)) {
          end = 'dead-lettered';
          return { kind: 'dead-letter', attempts, error: message };
        }
        const delayMs = backoffMs(policy, attempts);
        report?.monitor.retrying(report.delivery, { attempt: attempts, kind, error: message, delayMs });
        await sleep(delayMs);
      }
    }
  } finally {
    report?.monitor.finished(report.delivery, end);
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
