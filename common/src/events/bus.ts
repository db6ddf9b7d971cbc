import type { DeliveryMonitor } from './delivery.js';
import type { Envelope } from './envelope.js';
import type { TopicName, Topics } from './topics.js';

/** Where and how often a message has been delivered to a handler. */
export interface Delivery {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The message's key: the aggregate id. */
  readonly key: string;
  /** 1 on the first try, then 2, 3, ... while the handler keeps failing. */
  readonly attempt: number;
}

export type Handler<P> = (event: Envelope<P>, delivery: Delivery) => Promise<void>;

export interface SubscribeOptions {
  /**
   * Where a consumer group with no committed offset starts. Service groups start at the earliest
   * offset so that nothing published before their first join is missed; the gateway's
   * per-instance subscription groups start at the latest.
   */
  readonly fromBeginning?: boolean;
  /** Told of every retry and of each message's end (e.g. a ConsumerHealth for health and metrics). */
  readonly monitor?: DeliveryMonitor;
}

/** One event of a `publishAll`: its topic, its key (the aggregate id) and its envelope. */
export type Publication<M extends Record<string, unknown> = Topics> = {
  [T in keyof M & string]: { readonly topic: T; readonly key: string; readonly event: Envelope<M[T]> };
}[keyof M & string];

/**
 * The event bus port. `publish` resolves once the broker has the event (acks from all in-sync
 * replicas); a handler's promise resolving means its effect is stored, so the offset may be
 * committed. A handler that throws is retried or dead-lettered (deliverWithRetry): a transient
 * failure (a dependency unreachable) is retried, without losing the consumer's place in its group,
 * until it passes; it is never dead-lettered.
 */
export interface EventBus<M extends Record<string, unknown> = Topics> {
  publish<T extends keyof M & string>(topic: T, key: string, event: Envelope<M[T]>): Promise<void>;
  /**
   * Publishes many events in one request to the broker (a few in a row for batches over 512 KiB),
   * and resolves once it has them all (acks
   * from all in-sync replicas). Events of one key are stored in the order given. Every event is
   * validated before any is sent. When it rejects, any of the events may have been stored: the
   * caller sends them all again (consumers are idempotent), which keeps each key's order.
   *
   * Optional only so that test doubles of the port may leave it out; the relay then publishes one
   * event at a time. Both adapters implement it.
   */
  publishAll?(events: readonly Publication<M>[]): Promise<void>;
  subscribe<T extends keyof M & string>(
    topic: T,
    group: string,
    handle: Handler<M[T]>,
    options?: SubscribeOptions,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type { TopicName };
