import { Counter, Gauge, Registry } from 'prom-client';
import type { DeliveryEnd, DeliveryMonitor, FailedAttempt, MonitoredDelivery } from './delivery.js';

/** A message a consumer keeps retrying, as health reports show it. */
export interface RetryingMessage extends MonitoredDelivery {
  /** When its first attempt failed. */
  readonly since: string;
  readonly attempts: number;
  readonly kind: FailedAttempt['kind'];
  readonly lastError: string;
}

/**
 * A service's consumers as its health check and metrics see them (pass it as
 * SubscribeOptions.monitor). `degraded` while any message is being retried, e.g. while a database
 * is unreachable; the retries and dead letters are counted in its own Prometheus registry:
 * `event_consumer_retries_total{group,topic,kind}`, `event_consumer_dead_letters_total{group,topic}`
 * and the gauge `event_consumer_retrying_messages{group,topic}`.
 */
export class ConsumerHealth implements DeliveryMonitor {
  readonly registry = new Registry();
  private readonly inRetry = new Map<string, RetryingMessage>();
  private readonly retries: Counter<'group' | 'topic' | 'kind'>;
  private readonly deadLetters: Counter<'group' | 'topic'>;

  constructor() {
    const registers = [this.registry];
    this.retries = new Counter({
      name: 'event_consumer_retries_total',
      help: 'Failed handler attempts that were retried, by consumer group, topic and kind of failure',
      labelNames: ['group', 'topic', 'kind'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'event_consumer_dead_letters_total',
      help: 'Messages sent to the dead-letter topic, by consumer group and topic',
      labelNames: ['group', 'topic'],
      registers,
    });
    const inRetry = this.inRetry;
    new Gauge({
      name: 'event_consumer_retrying_messages',
      help: 'Messages being retried right now (a consumer waiting for a dependency), by group and topic',
      labelNames: ['group', 'topic'],
      registers,
      collect() {
        this.reset();
        for (const { group, topic } of inRetry.values()) this.inc({ group, topic });
      },
    });
  }

  retrying(delivery: MonitoredDelivery, failure: FailedAttempt): void {
    const { group, topic, partition, offset } = delivery;
    this.retries.inc({ group, topic, kind: failure.kind });
    const key = keyOf(delivery);
    const since = this.inRetry.get(key)?.since ?? new Date().toISOString();
    this.inRetry.set(key, {
      group,
      topic,
      partition,
      offset,
      since,
      attempts: failure.attempt,
      kind: failure.kind,
      lastError: failure.error,
    });
  }

  finished(delivery: MonitoredDelivery, end: DeliveryEnd): void {
    this.inRetry.delete(keyOf(delivery));
    if (end === 'dead-lettered') this.deadLetters.inc({ group: delivery.group, topic: delivery.topic });
  }

  /** `degraded` while a message is being retried. */
  get status(): 'ok' | 'degraded' {
    return this.inRetry.size > 0 ? 'degraded' : 'ok';
  }

  /** The messages being retried right now, one per consumer partition at most. */
  retryingMessages(): readonly RetryingMessage[] {
    return [...this.inRetry.values()];
  }
}

function keyOf({ group, topic, partition }: MonitoredDelivery): string {
  return `${group}\u0000${topic}\u0000${partition}`;
}
