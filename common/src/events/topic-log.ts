import type { Envelope } from './envelope.js';
import type { TopicName, Topics } from './topics.js';

/**
 * A position in a topic: the next offset to read in each partition (index = partition). The
 * position after a record is the position of its reader once that record has been read.
 */
export type LogPosition = readonly number[];

/** The offsets a topic holds: per partition, the first still retained and the next to be written. */
export interface LogBounds {
  readonly start: LogPosition;
  readonly end: LogPosition;
}

/** One record read from a topic, decoded. */
export interface LogRecord<T extends TopicName = TopicName> {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly event: Envelope<Topics[T]>;
  /** The record's timestamp in the log (Kafka: when the producer sent it), in ms; where the log keeps one. */
  readonly timestamp?: number;
}

export interface LogReadOptions {
  /** Stops the reading (the promise of `read` then resolves). */
  readonly signal: AbortSignal;
  /** Called after each batch (at least once per poll, even an empty one) with the position reached. */
  readonly onPosition?: (position: LogPosition) => void;
}

/**
 * A topic as a log read by position, without a consumer group: nothing is committed and nothing
 * stays in the broker after the reader stops. The gateway's live subscriptions and their replays
 * read this way; services consume with groups through the EventBus.
 */
export interface TopicLog {
  /** Tells this log's positions from another's (another cluster, another topic prefix). */
  readonly namespace: string;
  bounds(topic: TopicName): Promise<LogBounds>;
  /**
   * Reads from `from` on, handing each batch of records (in offset order per partition) to
   * `onRecords`, whose promise is awaited before the next batch, until the signal aborts.
   * A record that is not a valid envelope is skipped (`onInvalid` is told).
   */
  read<T extends TopicName>(
    topic: T,
    from: LogPosition,
    onRecords: (records: readonly LogRecord<T>[]) => void | Promise<void>,
    options: LogReadOptions & { readonly onInvalid?: (partition: number, offset: number) => void },
  ): Promise<void>;
  close(): Promise<void>;
}

/** The position after `record`, given the position before it. */
export function advance(position: LogPosition, partition: number, offset: number): number[] {
  const next = [...position];
  while (next.length <= partition) next.push(0);
  next[partition] = Math.max(next[partition] ?? 0, offset + 1);
  return next;
}

/** Whether `position` has reached `target` in every partition of `target`. */
export function reached(position: LogPosition, target: LogPosition): boolean {
  return target.every((offset, partition) => (position[partition] ?? 0) >= offset);
}
