import type { ExecutionResult } from 'graphql';
import { admit, type Admission, type BacklogLimits, type Queued } from './backlog.js';

/** One result on its way to one subscriber, with the time its event occurred (for latency). */
export interface Delivery {
  readonly result: ExecutionResult;
  readonly occurredAtMs: number;
}

export interface SubscriberStreamOptions {
  readonly limits: BacklogLimits;
  /** Bytes the subscriber's socket still has to send. */
  readonly bufferedBytes: () => number;
  /** The subscriber is too far behind: close its connection. Called once. */
  readonly onOverflow: () => void;
  /** Stock was coalesced for this subscriber. */
  readonly onCoalesced?: () => void;
  /** A result leaves the queue for the socket. */
  readonly onDeliver?: (delivery: Delivery) => void;
  /** The stream ended (client completed, connection closed, server shutting down). Called once. */
  readonly onEnd: () => void;
}

/**
 * The async iterator graphql-ws reads one subscription's results from. `push` never waits: the
 * fan-out hands every subscriber its result and moves on; graphql-ws pulls at the socket's pace,
 * and a subscriber that falls behind is coalesced, then closed (see `admit`).
 */
export class SubscriberStream implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: Queued<Delivery>[] = [];
  private waiting: ((result: IteratorResult<ExecutionResult>) => void) | undefined;
  /** A replay waiting for the queue to shrink (`room`). */
  private roomWaiter: (() => void) | undefined;
  private ended = false;

  constructor(private readonly options: SubscriberStreamOptions) {}

  get isEnded(): boolean {
    return this.ended;
  }

  /** Results waiting to be read by graphql-ws. */
  get queued(): number {
    return this.queue.length;
  }

  /** Hands a result to the subscriber; 'overflow' means it has been ended for being too slow. */
  push(delivery: Delivery, coalesceKey?: string): Admission | 'ended' {
    if (this.ended) return 'ended';
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      this.options.onDeliver?.(delivery);
      waiting({ value: delivery.result, done: false });
      return 'queued';
    }
    const admission = admit(
      this.queue,
      { value: delivery, coalesceKey },
      this.options.bufferedBytes(),
      this.options.limits,
    );
    if (admission === 'coalesced') this.options.onCoalesced?.();
    if (admission === 'overflow') this.overflow();
    return admission;
  }

  /** Ends the stream of a subscriber too far behind; its connection is closed (onOverflow). */
  overflow(): void {
    if (this.ended) return;
    this.finish(true);
    this.options.onOverflow();
  }

  /**
   * Resolves once at most half the backlog limit is queued (or the stream ended): a replay pushes
   * no faster than the subscriber reads, so that it is never coalesced nor closed for lagging.
   */
  room(): Promise<void> {
    if (this.ended || this.queue.length < this.options.limits.maxQueued / 2) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.roomWaiter;
      this.roomWaiter = () => {
        previous?.();
        resolve();
      };
    });
  }

  /** Ends the stream after the results already queued: graphql-ws then sends `complete`. */
  end(): void {
    this.finish(false);
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const item = this.queue.shift();
    if (this.roomWaiter && this.queue.length < this.options.limits.maxQueued / 2) this.wakeRoom();
    if (item) {
      this.options.onDeliver?.(item.value);
      return Promise.resolve({ value: item.value.result, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.finish(true);
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<ExecutionResult>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private wakeRoom(): void {
    const waiter = this.roomWaiter;
    this.roomWaiter = undefined;
    waiter?.();
  }

  private finish(discard: boolean): void {
    if (discard) this.queue.length = 0;
    if (this.ended) return;
    this.ended = true;
    this.wakeRoom();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
    this.options.onEnd();
  }
}
