import {
  Kafka,
  logLevel,
  Partitioners,
  type Consumer,
  type IHeaders,
  type LogEntry,
  type Message,
  type Producer,
} from 'kafkajs';
import type { KafkaConfig } from '../config/index.js';
import type { Logger } from '../logger.js';
import type { EventBus, Handler, Publication, SubscribeOptions } from './bus.js';
import {
  deliverWithRetry,
  defaultRetryPolicy,
  type DeliveryMonitor,
  type FailedAttempt,
  type MonitoredDelivery,
  type RetryPolicy,
} from './delivery.js';
import { decodeEnvelope, encodeEvent, type Envelope } from './envelope.js';
import { HeldMessage } from './held-message.js';
import { createMissingTopics } from './kafka-topics.js';
import { deadLetterTopic, type TopicName, type Topics } from './topics.js';

export interface KafkaEventBusOptions {
  /** Prepended to every topic name, e.g. to isolate one test run's topics on a shared broker. */
  readonly topicPrefix?: string;
  /** Partitions of topics this bus creates when missing. */
  readonly partitions?: number;
  readonly retry?: RetryPolicy;
  readonly logger: Logger;
}

/**
 * kafkajs warnings that describe a choice this project made on purpose. The producer's retries are
 * limited so that a publish fails while the broker is down and the outbox relay backs off (the
 * outbox and idempotent consumers keep the guarantee, not endless retries).
 */
const expectedWarnings = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

/** A kafkajs client whose logs go through the project's logger. */
export function createKafkaClient(clientId: string, brokers: readonly string[], logger: Logger): Kafka {
  const log = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 200, retries: 5 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        if (expectedWarnings.has(message)) return;
        if (level <= logLevel.ERROR) log.error(rest, message);
        else if (level === logLevel.WARN) log.warn(rest, message);
        else log.debug(rest, message);
      },
  });
}

/** The Kafka event bus of a service process, from its configuration. */
export function createKafkaEventBus(clientId: string, config: KafkaConfig, logger: Logger): KafkaEventBus {
  return new KafkaEventBus(createKafkaClient(clientId, config.brokers, logger), {
    topicPrefix: config.topicPrefix,
    partitions: config.partitions,
    logger,
  });
}

const sessionTimeoutMs = 10_000;

/**
 * The most bytes of events one produce request of publishAll carries: half the broker's default
 * limit on one partition's record batch (message.max.bytes, 1 MiB), which a batch of large events
 * all on one key would otherwise exceed, and be refused for ever.
 */
const maxRequestBytes = 512 * 1024;

/** Consecutive runs of `items` of at most `limit` bytes (key and value) each; an item over it runs alone. */
function bySize<T extends { message: { key: string; value: string } }>(
  items: readonly T[],
  limit: number,
): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(item.message.key) + Buffer.byteLength(item.message.value);
    if (run.length > 0 && bytes + size > limit) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(item);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
const heartbeatIntervalMs = 1_000;

/**
 * The EventBus on Apache Kafka: an idempotent producer with acks from all in-sync replicas,
 * one consumer per (group, topic) committing each offset only after its handler has finished,
 * retries with backoff (a transient failure for as long as it lasts, heartbeating meanwhile so the
 * consumer keeps its partitions), and dead letters on `<topic>.dlq` carrying the error and the
 * original bytes.
 */
export class KafkaEventBus implements EventBus<Topics> {
  private readonly prefix: string;
  private readonly partitions: number;
  private readonly retry: RetryPolicy;
  private readonly log: Logger;
  /** Each consumer, with the signal that tells its message in hand that it is stopping. */
  private readonly consumers = new Map<Consumer, AbortController>();
  private producer: Promise<Producer> | undefined;
  private topicsReady: Promise<void> | undefined;

  constructor(
    private readonly kafka: Kafka,
    options: KafkaEventBusOptions,
  ) {
    this.prefix = options.topicPrefix ?? '';
    this.partitions = options.partitions ?? 3;
    this.retry = options.retry ?? defaultRetryPolicy;
    this.log = options.logger.child({ component: 'event-bus' });
  }

  /** Creates every project topic and its dead-letter topic when missing. Idempotent. */
  ensureTopics(): Promise<void> {
    this.topicsReady ??= createMissingTopics(this.kafka, this.prefix, this.partitions).catch(
      (error: unknown) => {
        this.topicsReady = undefined;
        throw error;
      },
    );
    return this.topicsReady;
  }

  async publish<T extends TopicName>(topic: T, key: string, event: Envelope<Topics[T]>): Promise<void> {
    await this.send(topic, encodeEvent(topic, key, event));
  }

  /**
   * One produce request per broker for all the events (kafkajs `sendBatch`), or, past
   * `maxRequestBytes`, a few sent one after the other: with the idempotent producer and one request
   * in flight, each partition keeps the order given, hence each key.
   */
  async publishAll(events: readonly Publication[]): Promise<void> {
    const encoded = events.map(({ topic, key, event }) => ({
      topic: this.physical(topic),
      message: encodeEvent(topic, key, event),
    }));
    if (encoded.length === 0) return;
    await this.ensureTopics();
    const producer = await this.connectedProducer();
    for (const request of bySize(encoded, maxRequestBytes)) {
      const byTopic = new Map<string, Message[]>();
      for (const { topic, message } of request) {
        let messages = byTopic.get(topic);
        if (!messages) byTopic.set(topic, (messages = []));
        messages.push(message);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    }
  }

  /** Sends bytes as they are (tests of invalid messages, dead-letter replay). */
  async publishRaw(
    topic: string,
    message: { key: string; value: string | Buffer; headers?: IHeaders },
  ): Promise<void> {
    await this.send(topic, message);
  }

  async subscribe<T extends TopicName>(
    topic: T,
    group: string,
    handle: Handler<Topics[T]>,
    options: SubscribeOptions = {},
  ): Promise<() => Promise<void>> {
    await this.ensureTopics();
    // One Kafka consumer group per (group, topic): members of one group with different
    // subscriptions would be handed partitions of topics they do not handle by kafkajs's assigner,
    // and every new subscription would rebalance all the others.
    const consumer = this.kafka.consumer({
      groupId: `${this.prefix}${group}.${topic}`,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: heartbeatIntervalMs,
      // A fetch waits this long for data; disconnect waits for the fetch in flight, so keep it short.
      maxWaitTimeInMs: 500,
      // Reconnects at least every second while the broker is away: a backlog waits at most that long.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    const stopping = new AbortController();
    this.consumers.set(consumer, stopping);
    try {
      await consumer.connect();
      await consumer.subscribe({
        topic: this.physical(topic),
        fromBeginning: options.fromBeginning ?? false,
      });
      await this.run(consumer, { topic, group, handle, stopping: stopping.signal, monitor: options.monitor });
    } catch (error) {
      await this.stopConsumer(consumer).catch(() => undefined);
      throw error;
    }
    return () => this.stopConsumer(consumer);
  }

  /** Stops after the attempt in hand; a message being retried goes back uncommitted. */
  private async stopConsumer(consumer: Consumer): Promise<void> {
    this.consumers.get(consumer)?.abort();
    this.consumers.delete(consumer);
    await consumer.disconnect();
  }

  private async run<T extends TopicName>(
    consumer: Consumer,
    subscription: {
      readonly topic: T;
      readonly group: string;
      readonly handle: Handler<Topics[T]>;
      readonly stopping: AbortSignal;
      readonly monitor: DeliveryMonitor | undefined;
    },
  ): Promise<void> {
    const { topic, group, handle } = subscription;
    const monitor = this.logged(subscription.monitor);
    await consumer.run({
      // kafkajs commits each offset once eachMessage has resolved, i.e. after the effect (and the
      // dead letter) is stored. A manual commitOffsets is ignored once stop() has begun, which would
      // lose the commit of the message in hand during a graceful shutdown.
      autoCommit: true,
      autoCommitThreshold: 1,
      eachMessage: async (payload) => {
        const { partition, message } = payload;
        const delivery: MonitoredDelivery = { group, topic, partition, offset: message.offset };
        const held = new HeldMessage(() => payload.heartbeat(), heartbeatIntervalMs, subscription.stopping);
        try {
          const outcome = await deliverWithRetry(
            async (attempt) => {
              const event = decodeEnvelope(topic, message.value);
              await handle(event, {
                topic,
                partition,
                offset: message.offset,
                key: message.key?.toString() ?? '',
                attempt,
              });
            },
            this.retry,
            { sleep: (ms) => held.sleep(ms), monitor: { monitor, delivery } },
          );
          if (outcome.kind === 'handled') {
            if (outcome.attempts > 1)
              this.log.info({ ...delivery, attempts: outcome.attempts }, 'handled after retries');
            return;
          }
          this.log.warn({ ...delivery, error: outcome.error }, 'dead-lettered');
          await this.send(deadLetterTopic(topic), {
            key: message.key?.toString() ?? '',
            value: message.value ?? '',
            headers: {
              ...message.headers,
              'dlq-error': outcome.error,
              'dlq-attempts': String(outcome.attempts),
              'dlq-group': group,
              'dlq-original-topic': topic,
              'dlq-original-partition': String(partition),
              'dlq-original-offset': message.offset,
            },
          });
        } finally {
          held.release();
        }
      },
    });
  }

  /** The subscriber's monitor, and a warning on a message's first failed attempt. */
  private logged(monitor: DeliveryMonitor | undefined): DeliveryMonitor {
    return {
      retrying: (delivery: MonitoredDelivery, failure: FailedAttempt) => {
        const fields = { ...delivery, kind: failure.kind, error: failure.error };
        if (failure.attempt === 1) this.log.warn(fields, 'handler failed; retrying');
        else this.log.debug({ ...fields, attempt: failure.attempt }, 'handler failed again; retrying');
        monitor?.retrying(delivery, failure);
      },
      finished: (delivery, end) => monitor?.finished(delivery, end),
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers.keys()].map((consumer) => this.stopConsumer(consumer)));
    const producer = this.producer;
    this.producer = undefined;
    if (producer) await (await producer.catch(() => undefined))?.disconnect();
  }

  private physical(topic: string): string {
    return `${this.prefix}${topic}`;
  }

  private async send(topic: string, message: { key: string; value: string | Buffer; headers?: IHeaders }) {
    await this.ensureTopics();
    const producer = await this.connectedProducer();
    await producer.send({ topic: this.physical(topic), acks: -1, messages: [message] });
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // A send fails after about 2.5 s of retries while the broker is away (the relay then backs
        // off and tries again), and a retry in progress reaches a returning broker within 1 s.
        retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 5 },
        // The default (murmur2, like the Java client) chosen explicitly, which also silences kafkajs's notice.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      return producer;
    })().catch((error: unknown) => {
      this.producer = undefined;
      throw error;
    });
    return this.producer;
  }
}
