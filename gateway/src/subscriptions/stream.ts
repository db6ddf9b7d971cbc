import type { ExecutionResult } from 'graphql';
import { admit, type Admission, type BacklogLimits, type Queued } from './backlog.js';

/** One result on its way to one subscriber, with the times of its stages (for latency). */
export interface Delivery {
  readonly result: ExecutionResult;
  /** When its event occurred (the envelope's `metadata.occurredAt`). */
  readonly occurredAtMs: number;
  /** When its plan execution finished (live results), for the "written" stage. */
  readonly executedAtMs?: number;
}

export interface SubscriberStreamOptions {
  readonly limits: BacklogLimits;
  /** Bytes the subscriber's socket still has to send. */
  readonly bufferedBytes: () => number;
  /** The subscriber is too far behind: close its connection. Called once. */
  readonly onOverflow: () => void;
  /** Stock was coalesced for this subscriber. */
  readonly onCoalesced?: () => void;
  /** A result was written to the socket (`delivered`), or read through the iterator (`next`). */
  readonly onDeliver?: (delivery: Delivery) => void;
  /** The stream ended (client completed, connection closed, server shutting down). Called once. */
  readonly onEnd: () => void;
}

/**
 * One subscription's queue of results. `push` never waits: the fan-out hands every subscriber its
 * result and moves on; the reader (`take`, or graphql-ws through the async iterator) pulls at the
 * socket's pace, and a subscriber that falls behind is coalesced, then closed (see `admit`).
 */
export class SubscriberStream implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: Queued<Delivery>[] = [];
  private waiting: ((delivery: Delivery | undefined) => void) | undefined;
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
      waiting(delivery);
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

  /**
   * The next delivery, once there is one; undefined once the stream ended. For a reader that writes
   * to the socket itself and then reports it (`delivered`).
   */
  take(): Delivery | Promise<Delivery | undefined> | undefined {
    const item = this.queue.shift();
    if (this.roomWaiter && this.queue.length < this.options.limits.maxQueued / 2) this.wakeRoom();
    if (item) return item.value;
    if (this.ended) return undefined;
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** A delivery taken with `take` has been written to the subscriber's socket. */
  delivered(delivery: Delivery): void {
    this.options.onDeliver?.(delivery);
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const delivery = await this.take();
    if (!delivery) return { value: undefined, done: true };
    this.delivered(delivery);
    return { value: delivery.result, done: false };
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
    waiting?.(undefined);
    this.options.onEnd();
  }
}
