import type { ResponseError } from './client.js';

/** One result of a subscription (a graphql-ws `next`), or the errors of an `error` message. */
export interface SubscriptionResult<TResult> {
  readonly data: TResult | null | undefined;
  readonly errors: readonly ResponseError[] | undefined;
  /** The `next` payload's extensions, as the server sent them. */
  readonly extensions?: Readonly<Record<string, unknown>> | undefined;
  /** `extensions.cursor`: the position of this event; subscribing again with `after` it resumes here. */
  readonly cursor: string | undefined;
  /** `extensions.snapshot`: this result is the current state sent first (`initial: true`), not an event. */
  readonly snapshot: boolean;
}

/** How the server closed the WebSocket (graphql-ws codes: 4401 Unauthorized, 4403 Forbidden ...). */
export interface ClosedEvent {
  readonly code: number;
  readonly reason: string;
}

/** How a subscription ended: `complete` sent by the server, an `error` message, or its socket closed for good. */
export type Ending = 'complete' | 'error' | 'closed';

export interface WaitOptions {
  /** Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Says what was awaited when the deadline passes. */
  readonly message?: string;
}

interface Waiter<TResult> {
  readonly predicate: (result: SubscriptionResult<TResult>) => boolean;
  readonly resolve: (result: SubscriptionResult<TResult>) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The results of one subscription as the application sees them, whatever the connections beneath:
 * kept in order, awaited (`waitFor`), iterated, until the subscription ends.
 */
export class ResultLog<TResult> implements AsyncIterable<SubscriptionResult<TResult>> {
  readonly results: SubscriptionResult<TResult>[] = [];
  /** Resolves when the subscription ended. */
  readonly completed: Promise<Ending>;
  #ended: ClosedEvent | 'complete' | 'error' | undefined;
  #markCompleted!: (how: Ending) => void;
  readonly #waiters = new Set<Waiter<TResult>>();
  readonly #listeners = new Set<() => void>();

  constructor() {
    this.completed = new Promise<Ending>((resolve) => (this.#markCompleted = resolve));
  }

  get ended(): boolean {
    return this.#ended !== undefined;
  }

  receive(result: SubscriptionResult<TResult>): void {
    this.results.push(result);
    for (const waiter of this.#waiters) {
      if (waiter.predicate(result)) {
        this.#waiters.delete(waiter);
        waiter.resolve(result);
      }
    }
    this.#notify();
  }

  /** Ends the subscription (the first ending counts): waiters still waiting are rejected, iteration stops. */
  end(how: ClosedEvent | 'complete' | 'error'): void {
    if (this.#ended !== undefined) return;
    this.#ended = how;
    this.#markCompleted(typeof how === 'string' ? how : 'closed');
    const why =
      how === 'complete'
        ? 'the subscription completed'
        : how === 'error'
          ? 'the server sent an error'
          : `closed ${how.code} ${how.reason}`;
    for (const waiter of this.#waiters)
      waiter.reject(new Error(`Subscription ended (${why}) before a matching result`));
    this.#waiters.clear();
    this.#notify();
  }

  /** The first result, received or to come, that satisfies `predicate`; rejects at the deadline or on the end. */
  waitFor(
    predicate: (result: SubscriptionResult<TResult>) => boolean,
    options: WaitOptions = {},
  ): Promise<SubscriptionResult<TResult>> {
    const found = this.results.find(predicate);
    if (found) return Promise.resolve(found);
    if (this.#ended) {
      return Promise.reject(new Error(`Subscription already ended (${JSON.stringify(this.#ended)})`));
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new Error(
            `Timed out after ${timeoutMs} ms waiting for ${options.message ?? 'a subscription result'} ` +
              `(received ${JSON.stringify(this.results).slice(0, 2_000)})`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter<TResult> = {
        predicate,
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionResult<TResult>> {
    let next = 0;
    for (;;) {
      while (next < this.results.length) yield this.results[next++]!;
      if (this.#ended) return;
      await new Promise<void>((resolve) => {
        const listener = (): void => {
          this.#listeners.delete(listener);
          resolve();
        };
        this.#listeners.add(listener);
      });
    }
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
