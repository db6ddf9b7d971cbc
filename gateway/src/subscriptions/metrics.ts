import { Counter, Gauge, Histogram, Registry } from 'prom-client';

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
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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
  }
}
