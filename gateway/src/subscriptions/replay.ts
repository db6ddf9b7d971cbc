import {
  advance,
  reached,
  type LogPosition,
  type LogRecord,
  type TopicLog,
  type TopicName,
} from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { ExecutionResult } from 'graphql';
import type { EventExecution } from './executor.js';
import { fieldEventOf, type SubscriptionField } from './fields.js';
import type { FanOutGroup } from './hub.js';
import type { SubscriptionMetrics } from './metrics.js';
import { withExtensions, type PositionedEvent, type Subscriber } from './subscriber.js';

/** A resuming subscriber: replayed from `from` up to `until` (the live position when it joined). */
export interface ReplayRequest {
  readonly subscriber: Subscriber;
  readonly group: FanOutGroup;
  readonly from: LogPosition;
  readonly until: LogPosition;
}

export interface ReplayDependencies {
  readonly log: TopicLog;
  readonly field: SubscriptionField;
  readonly topic: TopicName;
  readonly execute: (execution: EventExecution) => Promise<ExecutionResult>;
  readonly cursorOf: (position: LogPosition) => string;
  readonly metrics: SubscriptionMetrics;
  readonly logger: Logger;
  /** How many events a reader may be behind a newcomer and still take it on (default 100 000). */
  readonly window?: number;
  /**
   * A new reader waits until no subscriber has joined it for `lingerMs` (default 100 ms), at most
   * `maxLingerMs` (default 1 s), before its first fetch: clients reconnecting together after a deploy
   * or a network blip (spread by their backoff) share it rather than each open one.
   */
  readonly lingerMs?: number;
  readonly maxLingerMs?: number;
}

/** Plan executions running at once in one reader (they are delivered in event order). */
const concurrentExecutions = 32;

/**
 * The replays of one field: readers of its topic shared by subscribers resuming from nearby
 * positions. A newcomer joins a reader that has not yet passed its cursor (and is within the
 * window); else a new reader starts at its cursor. Each event is executed once per fan-out group
 * among the reader's subscribers, whatever their number.
 */
export class ReplayReaders {
  private readonly readers = new Set<ReplayReader>();

  constructor(private readonly deps: ReplayDependencies) {}

  /** Replays `[from, until)` to the subscriber, then releases it to the live stream. */
  replay(request: ReplayRequest): void {
    if (reached(request.from, request.until)) {
      request.subscriber.release();
      return;
    }
    const window = this.deps.window ?? 100_000;
    let reader = [...this.readers].find((candidate) => candidate.canTake(request.from, window));
    if (!reader) {
      const started = new ReplayReader(this.deps, request.from, () => this.readers.delete(started));
      this.readers.add(started);
      this.deps.metrics.replayReaders.inc({ field: this.deps.field });
      reader = started;
      reader.add(request);
      started.start();
      return;
    }
    reader.add(request);
  }

  /** Readers running now. */
  get size(): number {
    return this.readers.size;
  }

  close(): void {
    for (const reader of this.readers) reader.stop();
  }
}

class ReplayReader {
  private readonly members = new Set<ReplayRequest>();
  private readonly stopping = new AbortController();
  /** The position after the last batch taken in: a newcomer at or past it misses nothing. */
  private fetched: number[];
  /** The position after the event being delivered: what its cursor encodes. */
  private position: number[];
  private lastJoinedAt = Date.now();

  constructor(
    private readonly deps: ReplayDependencies,
    private readonly start_: LogPosition,
    private readonly onStop: () => void,
  ) {
    this.fetched = [...start_];
    this.position = [...start_];
  }

  canTake(from: LogPosition, window: number): boolean {
    if (this.stopping.signal.aborted) return false;
    let behind = 0;
    for (const [partition, offset] of this.fetched.entries()) {
      const wanted = from[partition] ?? 0;
      if (wanted < offset) return false;
      behind += wanted - offset;
    }
    return behind <= window;
  }

  add(request: ReplayRequest): void {
    this.members.add(request);
    this.lastJoinedAt = Date.now();
  }

  start(): void {
    const quiet = this.deps.lingerMs ?? 100;
    const latest = Date.now() + (this.deps.maxLingerMs ?? 1_000);
    const wait = (): void => {
      const now = Date.now();
      if (now - this.lastJoinedAt >= quiet || now >= latest) this.read();
      else setTimeout(wait, Math.min(quiet - (now - this.lastJoinedAt), latest - now)).unref();
    };
    setTimeout(wait, quiet).unref();
  }

  private read(): void {
    const { log, topic, logger } = this.deps;
    if (this.stopping.signal.aborted) return;
    log
      .read(topic, this.start_, (records) => this.deliver(records), {
        signal: this.stopping.signal,
        onPosition: (position) => this.releaseCaughtUp(position),
        onInvalid: (partition, offset) => logger.warn({ topic, partition, offset }, 'invalid event skipped'),
      })
      .catch((error: unknown) => logger.error({ err: error, topic }, 'replay failed'))
      .finally(() => this.stop());
  }

  stop(): void {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort();
    // Subscribers still here (shutdown) go live with what they got; their streams are ending anyway.
    for (const member of this.members) member.subscriber.release();
    this.members.clear();
    this.onStop();
  }

  private async deliver(records: readonly LogRecord[]): Promise<void> {
    for (const record of records) this.fetched = advance(this.fetched, record.partition, record.offset);
    for (let i = 0; i < records.length; i += concurrentExecutions) {
      const chunk = records.slice(i, i + concurrentExecutions).map((record) => this.execute(record));
      for (const { event, executions } of chunk) {
        let cursor: string | undefined;
        for (const { members, result } of executions) {
          cursor ??= this.deps.cursorOf(event.position);
          const shared = withExtensions(await result, { cursor });
          for (const member of members) {
            await member.stream.room();
            member.replayed(shared, event);
          }
        }
      }
      // A replay to many subscribers is mostly promise work: let timers and sockets run between
      // chunks (heartbeats of the process's consumers, live events, other connections).
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Starts the executions of one record: one per fan-out group among the members that take it. */
  private execute(record: LogRecord) {
    const event: PositionedEvent = {
      input: fieldEventOf(this.deps.field, record.event),
      partition: record.partition,
      offset: record.offset,
      position: advance(this.position, record.partition, record.offset),
    };
    this.position = [...event.position];
    const byGroup = new Map<FanOutGroup, Subscriber[]>();
    for (const { subscriber, group, from, until } of this.members) {
      if (subscriber.stream.isEnded) continue;
      if (record.offset < (from[record.partition] ?? 0) || record.offset >= (until[record.partition] ?? 0)) {
        continue;
      }
      if (!group.wants(event)) continue;
      byGroup.set(group, [...(byGroup.get(group) ?? []), subscriber]);
    }
    const executions = [...byGroup].map(([group, members]) => {
      this.deps.metrics.replayed.inc({ field: this.deps.field });
      const representative = members[0];
      return {
        members,
        result: representative
          ? this.deps.execute(group.execution(event, representative.connection))
          : Promise.resolve({ data: null }),
      };
    });
    return { event, executions };
  }

  /** Hands to the live stream every member whose replay is complete; stops once none is left. */
  private releaseCaughtUp(position: LogPosition): void {
    for (const member of this.members) {
      if (member.subscriber.stream.isEnded) {
        this.members.delete(member);
      } else if (reached(position, member.until)) {
        this.members.delete(member);
        member.subscriber.release();
      }
    }
    if (this.members.size === 0) this.stop();
  }
}
