import type { Logger } from '../logger.js';
import type { EventBus, Publication } from './bus.js';
import { parseEnvelope } from './envelope.js';
import type { TopicName, Topics } from './topics.js';

/** An event written in the same local transaction as the state change it describes. */
export interface OutboxRecord {
  readonly id: string;
  readonly topic: TopicName;
  readonly key: string;
  readonly envelope: unknown;
}

/**
 * Publishes `records` in the order given and resolves with those the broker acknowledged: all of
 * them (one request for the lot) or none, or, with a bus that publishes one event at a time, a
 * prefix of them. It sends nothing once `holding()` returns false (the source's claim on the
 * records is about to lapse). Never throws.
 */
export type PublishRecords = (
  records: readonly OutboxRecord[],
  holding?: () => boolean,
) => Promise<readonly OutboxRecord[]>;

/**
 * A store's pending events, as seen by one relay among possibly several.
 *
 * `claim` takes up to `limit` pending events exclusively for this relay (no other relay publishes
 * events of the same aggregates until it returns), hands them to `publish` oldest first per
 * aggregate, marks as sent exactly those `publish` returns, then gives the claim up. It resolves
 * with how many events it claimed: 0 when nothing is pending or another relay holds the claim.
 */
export interface OutboxSource {
  claim(limit: number, publish: PublishRecords): Promise<number>;
  /** How many stored events are not yet published. */
  pendingCount(): Promise<number>;
  /** Gives up a claim that outlives `claim` (a lease), so that another relay takes over at once. */
  release?(): Promise<void>;
  /**
   * Calls `wake` whenever any writer, also one in another process, may have added events, and
   * after each (re)connection (for events added meanwhile), until the returned function is called.
   * Without it, a relay finds events through notify() (writes of its own process) and polling.
   */
  watch?(wake: () => void, logger: Logger): () => Promise<void>;
}

/** One batch the broker acknowledged. */
export interface PublishedBatch {
  readonly size: number;
  /**
   * Seconds from the relay's wake-up (notify(), a watch notification, or the poll that found the
   * events) to the broker's acknowledgement: the claim, the produce request and its acks.
   */
  readonly wakeToAckSeconds: number;
}

export interface OutboxRelayOptions {
  readonly logger: Logger;
  /**
   * How often to look for events nobody told the relay about: 500 ms by default, 2 000 ms when the
   * source can `watch` (polling is then only a fallback).
   */
  readonly pollIntervalMs?: number;
  /** The most events one claim publishes, in one request to the broker. Default 500. */
  readonly batchSize?: number;
  /**
   * Longest pause between attempts while the broker cannot be reached. Default 1 000 ms: each
   * attempt is itself a few seconds of the producer's retries, and the backlog should drain as soon
   * as the broker is back.
   */
  readonly maxBackoffMs?: number;
}

export type RelayHealth = 'ok' | 'degraded';

/**
 * Publishes pending outbox events in order, a batch per broker request, and marks them sent. While the broker is down it keeps
 * the events, reports `degraded` and retries with backoff; the backlog drains when it returns.
 * Several relays may run over one store (one per instance of a service): the source's claim keeps
 * each aggregate's events in order.
 */
export class OutboxRelay {
  private readonly log: Logger;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxBackoffMs: number;
  private running = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** notify() while a batch was in hand: look again at once instead of sleeping. */
  private woken = false;
  /** When the first notify() since the last claim began (performance.now()). */
  private wokenAt: number | undefined;
  private failures = 0;
  /** One claim at a time per relay (the loop and flush() may overlap). */
  private claiming: Promise<unknown> = Promise.resolve();
  private unwatch: (() => Promise<void>) | undefined;
  private readonly observers = new Set<(batch: PublishedBatch) => void>();

  constructor(
    private readonly source: OutboxSource,
    private readonly bus: EventBus<Topics>,
    options: OutboxRelayOptions,
  ) {
    this.log = options.logger.child({ component: 'outbox-relay' });
    this.pollIntervalMs = options.pollIntervalMs ?? (source.watch ? 2_000 : 500);
    this.batchSize = options.batchSize ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 1_000;
  }

  /** `degraded` from a failed publish until the next successful pass: the broker is unreachable. */
  get health(): RelayHealth {
    return this.failures > 0 ? 'degraded' : 'ok';
  }

  /** How many stored events are not yet published. */
  pendingCount(): Promise<number> {
    return this.source.pendingCount();
  }

  /** Tells `observer` of every batch the broker acknowledged (metrics); returns the unsubscribe. */
  observe(observer: (batch: PublishedBatch) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.unwatch = this.source.watch?.(() => this.notify(), this.log);
    this.loop = this.run();
  }

  /** Call after a write that added events, to publish them without waiting for the next poll. */
  notify(): void {
    this.woken = true;
    this.wokenAt ??= performance.now();
    this.wake?.();
  }

  /**
   * Stops after the batch in hand (a later claim's events stay pending for the next start) and
   * gives up the source's lease, if any.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.wake?.();
    const unwatch = this.unwatch;
    this.unwatch = undefined;
    await unwatch?.();
    await this.loop;
    await this.claiming.catch(() => undefined);
    this.stopping = false;
    await this.source.release?.().catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not release the outbox lease; it will expire');
    });
  }

  /** Publishes everything pending now; resolves when nothing is left (tests, shutdown). */
  async flush(): Promise<void> {
    while ((await this.publishBatch()) === this.batchSize);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.publishBatch();
        if (this.failures > 0) this.log.info({ failures: this.failures }, 'outbox publishing again');
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        this.log.warn({ err: error, failures: this.failures }, 'outbox publish failed; will retry');
      }
      if (this.failures > 0) {
        // Writes keep calling notify() during an outage: they must not cut the backoff short.
        await this.sleep(Math.min(this.maxBackoffMs, 200 * 2 ** Math.min(this.failures, 10)), false);
      } else if (published < this.batchSize) {
        await this.sleep(this.pollIntervalMs, true);
      }
    }
  }

  /** One claim: resolves with the number of events published, throws when publishing failed. */
  private publishBatch(): Promise<number> {
    const batch = this.claiming.catch(() => undefined).then(() => this.claimOnce());
    this.claiming = batch;
    return batch;
  }

  private async claimOnce(): Promise<number> {
    this.woken = false;
    const wokenAt = this.wokenAt ?? performance.now();
    this.wokenAt = undefined;
    let failure: { error: unknown } | undefined;
    let published = 0;
    await this.source.claim(this.batchSize, async (records, holding = () => true) => {
      const sent: OutboxRecord[] = [];
      try {
        await this.send(records, holding, sent);
      } catch (error) {
        failure = { error };
      }
      published += sent.length;
      if (sent.length > 0)
        this.tell({ size: sent.length, wakeToAckSeconds: (performance.now() - wokenAt) / 1000 });
      return sent;
    });
    if (failure) throw failure.error;
    return published;
  }

  /** Publishes `records` (all at once when the bus can), adding to `sent` what the broker acknowledged. */
  private async send(
    records: readonly OutboxRecord[],
    holding: () => boolean,
    sent: OutboxRecord[],
  ): Promise<void> {
    const bus = this.bus;
    if (bus.publishAll) {
      if (this.stopping || !holding()) return;
      await bus.publishAll(records.map(publication));
      sent.push(...records);
      return;
    }
    for (const record of records) {
      if (this.stopping || !holding()) return;
      const { topic, key, event } = publication(record);
      await bus.publish(topic, key, event);
      sent.push(record);
    }
  }

  private tell(batch: PublishedBatch): void {
    for (const observer of this.observers) observer(batch);
  }

  /** Waits `ms`, or less when stopped (or notified, if `interruptible`). */
  private sleep(ms: number, interruptible: boolean): Promise<void> {
    if (!this.running || (interruptible && this.woken)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = () => {
        if (interruptible || !this.running) done();
      };
    });
  }
}

/** The record as the bus takes it, its envelope validated. */
function publication({ topic, key, envelope }: OutboxRecord): Publication {
  // parseEnvelope ties the payload to the topic; TypeScript cannot narrow the union by it.
  return { topic, key, event: parseEnvelope(topic, envelope) } as Publication;
}
