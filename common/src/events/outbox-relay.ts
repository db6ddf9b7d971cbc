import type { Logger } from '../logger.js';
import type { EventBus } from './bus.js';
import { parseEnvelope } from './envelope.js';
import type { TopicName, Topics } from './topics.js';

/** An event written in the same local transaction as the state change it describes. */
export interface OutboxRecord {
  readonly id: string;
  readonly topic: TopicName;
  readonly key: string;
  readonly envelope: unknown;
}

/** A store's pending events, oldest first per aggregate. */
export interface OutboxSource {
  pending(limit: number): Promise<readonly OutboxRecord[]>;
  markSent(records: readonly OutboxRecord[]): Promise<void>;
}

export interface OutboxRelayOptions {
  readonly logger: Logger;
  /** How often to look for events when nobody calls notify(). */
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
}

export type RelayHealth = 'ok' | 'degraded';

/**
 * Publishes pending outbox events in order and marks them sent. While the broker is down it keeps
 * the events, reports `degraded` and retries with backoff; the backlog drains when it returns.
 */
export class OutboxRelay {
  private readonly log: Logger;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private failures = 0;

  constructor(
    private readonly source: OutboxSource,
    private readonly bus: EventBus<Topics>,
    options: OutboxRelayOptions,
  ) {
    this.log = options.logger.child({ component: 'outbox-relay' });
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.batchSize = options.batchSize ?? 100;
  }

  get health(): RelayHealth {
    return this.failures > 0 ? 'degraded' : 'ok';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Call after a write that added events, to publish them without waiting for the next poll. */
  notify(): void {
    this.wake?.();
  }

  /** Stops after the event in hand; what is unsent stays pending for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
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
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        this.log.warn({ err: error, failures: this.failures }, 'outbox publish failed; will retry');
      }
      if (published === this.batchSize) continue;
      const backoff =
        this.failures > 0 ? Math.min(5_000, 200 * 2 ** Math.min(this.failures, 5)) : this.pollIntervalMs;
      await this.sleep(backoff);
    }
  }

  private async publishBatch(): Promise<number> {
    const records = await this.source.pending(this.batchSize);
    const sent: OutboxRecord[] = [];
    try {
      for (const record of records) {
        await this.bus.publish(record.topic, record.key, parseEnvelope(record.topic, record.envelope));
        sent.push(record);
      }
    } finally {
      if (sent.length > 0) await this.source.markSent(sent);
    }
    return records.length;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
