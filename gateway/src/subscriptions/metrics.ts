import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The stages of a live event, each timed from the previous one: `produced` (occurredAt → the
 * record's timestamp in Kafka: outbox relay and produce), `consumed` (→ read by the live reader),
 * `executed` (→ its plan executed, once per fan-out group), `written` (→ its frame written to a
 * subscriber's socket, once per subscriber).
 */
export type LatencyStage = 'produced' | 'consumed' | 'executed' | 'written';

/** Buckets fine enough for a few milliseconds per stage (seconds). */
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A labelled child: observing it costs no label hashing (the fan-out observes once per subscriber). */
type Observer = ReturnType<Histogram['labels']>;

/** The subscription service's Prometheus metrics, in a registry of its own gateway (never the global one). */
export class SubscriptionMetrics {
  readonly connections: Gauge;
  readonly subscriptions: Gauge<'field'>;
  readonly eventsConsumed: Counter<'topic'>;
  readonly eventsDelivered: Counter<'field'>;
  readonly deliveryLatency: Histogram<'field'>;
  readonly executions: Counter<'field'>;
  readonly coalesced: Counter<'field'>;
  readonly slowClosed: Counter<'field'>;
  readonly replayReaders: Counter<'field'>;
  readonly replayed: Counter<'field'>;
  readonly resumed: Counter<'field' | 'outcome'>;
  readonly stageLatency: Histogram<'stage' | 'field'>;
  private readonly children = new Map<string, Observer>();
  private readonly delivery = new Map<string, (ms: number, writtenMs: number | undefined) => void>();

  constructor(readonly registry: Registry) {
    const registers = [registry];
    this.connections = new Gauge({
      name: 'gateway_subscription_connections',
      help: 'Open graphql-ws connections',
      registers,
    });
    this.subscriptions = new Gauge({
      name: 'gateway_subscriptions',
      help: 'Active subscriptions by root field',
      labelNames: ['field'],
      registers,
    });
    this.eventsConsumed = new Counter({
      name: 'gateway_subscription_events_consumed_total',
      help: 'Kafka events consumed by the subscription service, by topic',
      labelNames: ['topic'],
      registers,
    });
    this.eventsDelivered = new Counter({
      name: 'gateway_subscription_events_delivered_total',
      help: 'Results handed to subscribers, by root field',
      labelNames: ['field'],
      registers,
    });
    this.deliveryLatency = new Histogram({
      name: 'gateway_subscription_delivery_latency_seconds',
      help: "Time from the event's metadata.occurredAt to the result being sent to a subscriber",
      labelNames: ['field'],
      buckets: latencyBuckets,
      registers,
    });
    this.executions = new Counter({
      name: 'gateway_subscription_executions_total',
      help: 'Query plan executions (one per event per distinct operation, variables and viewer scope)',
      labelNames: ['field'],
      registers,
    });
    this.coalesced = new Counter({
      name: 'gateway_subscription_coalesced_total',
      help: 'Results that replaced older queued ones for a lagging subscriber',
      labelNames: ['field'],
      registers,
    });
    this.slowClosed = new Counter({
      name: 'gateway_subscription_slow_closed_total',
      help: 'Connections closed because a subscriber fell too far behind',
      labelNames: ['field'],
      registers,
    });
    this.replayReaders = new Counter({
      name: 'gateway_subscription_replay_readers_total',
      help: 'Topic readers opened to replay events to resuming subscribers (shared between them)',
      labelNames: ['field'],
      registers,
    });
    this.replayed = new Counter({
      name: 'gateway_subscription_replay_executions_total',
      help: 'Plan executions of replayed events (one per event per fan-out group of a reader)',
      labelNames: ['field'],
      registers,
    });
    this.resumed = new Counter({
      name: 'gateway_subscription_resumes_total',
      help: 'Subscriptions started with `after` or `initial`, by outcome (replay, snapshot, expired, bad)',
      labelNames: ['field', 'outcome'],
      registers,
    });
    this.stageLatency = new Histogram({
      name: 'gateway_subscription_stage_latency_seconds',
      help: 'Time of each stage of a live event since the previous one: produced (occurredAt -> Kafka record timestamp), consumed (-> read by the live reader), executed (-> plan executed, per group), written (-> written to a socket, per subscriber)',
      labelNames: ['stage', 'field'],
      buckets: latencyBuckets,
      registers,
    });
  }

  /** Observes `ms` (a duration; negative clock skew counts as 0) for `stage` of `field`. */
  stage(stage: LatencyStage, field: string, ms: number): void {
    this.observer(`stage:${stage}:${field}`, () => this.stageLatency.labels({ stage, field })).observe(
      Math.max(0, ms) / 1000,
    );
  }

  /**
   * What one delivery to a subscriber of `field` observes, made once per field: the fan-out calls it
   * once per subscriber, without label hashing. `ms`: since the event occurred; `writtenMs`: since
   * its plan was executed (live results).
   */
  deliveries(field: string): (ms: number, writtenMs: number | undefined) => void {
    let record = this.delivery.get(field);
    if (!record) {
      const delivered = this.eventsDelivered.labels({ field });
      const latency = this.deliveryLatency.labels({ field });
      const written = this.stageLatency.labels({ stage: 'written', field });
      record = (ms, writtenMs) => {
        delivered.inc();
        latency.observe(Math.max(0, ms) / 1000);
        if (writtenMs !== undefined) written.observe(Math.max(0, writtenMs) / 1000);
      };
      this.delivery.set(field, record);
    }
    return record;
  }

  private observer(key: string, create: () => Observer): Observer {
    let child = this.children.get(key);
    if (!child) this.children.set(key, (child = create()));
    return child;
  }
}
