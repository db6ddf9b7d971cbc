import { deliverWithRetry, defaultRetryPolicy, type RetryPolicy } from './delivery.js';
import type { EventBus, Handler, SubscribeOptions } from './bus.js';
import { decodeEnvelope, parseEnvelope, type Envelope } from './envelope.js';
import { deadLetterTopic, isTopicName, type TopicName, type Topics } from './topics.js';

/** A message as the in-process bus stores it: the same bytes and headers Kafka would carry. */
export interface StoredMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

interface Consumer {
  readonly topic: string;
  offset: number;
  draining: Promise<void> | undefined;
  stopped: boolean;
  readonly handle: Handler<unknown>;
}

/**
 * The in-process event bus of the embedded mode and of unit tests: same topics, envelope,
 * validation, retry and dead-letter rules as Kafka, one log per topic, one offset per group.
 */
export class InMemoryEventBus implements EventBus<Topics> {
  private readonly logs = new Map<string, StoredMessage[]>();
  private readonly consumers = new Map<string, Consumer>();

  constructor(private readonly retry: RetryPolicy = { ...defaultRetryPolicy, initialBackoffMs: 10 }) {}

  async publish<T extends TopicName>(topic: T, key: string, event: Envelope<Topics[T]>): Promise<void> {
    await Promise.resolve();
    const valid = parseEnvelope(topic, event);
    this.append(topic, {
      key,
      value: JSON.stringify(valid),
      headers: { 'event-type': topic, 'correlation-id': valid.metadata.correlationId },
    });
  }

  /** Appends raw bytes, valid or not, as a producer outside this project could. */
  publishRaw(topic: string, message: StoredMessage): void {
    this.append(topic, message);
  }

  subscribe<T extends TopicName>(
    topic: T,
    group: string,
    handle: Handler<Topics[T]>,
    options: SubscribeOptions = {},
  ): Promise<() => Promise<void>> {
    const id = `${group}\u0000${topic}`;
    if (this.consumers.has(id)) throw new Error(`Group ${group} already consumes ${topic} in this process`);
    const consumer: Consumer = {
      topic,
      offset: options.fromBeginning ? 0 : this.log(topic).length,
      draining: undefined,
      stopped: false,
      handle: handle as Handler<unknown>,
    };
    this.consumers.set(id, consumer);
    this.drain(consumer, group);
    return Promise.resolve(async () => {
      consumer.stopped = true;
      await consumer.draining;
      this.consumers.delete(id);
    });
  }

  /** Every message on a topic so far, e.g. a dead-letter topic in a test. */
  messages(topic: string): readonly StoredMessage[] {
    return this.log(topic);
  }

  async close(): Promise<void> {
    for (const consumer of this.consumers.values()) consumer.stopped = true;
    await Promise.all([...this.consumers.values()].flatMap((consumer) => consumer.draining ?? []));
    this.consumers.clear();
  }

  private log(topic: string): StoredMessage[] {
    let log = this.logs.get(topic);
    if (!log) this.logs.set(topic, (log = []));
    return log;
  }

  private append(topic: string, message: StoredMessage): void {
    this.log(topic).push(message);
    for (const [id, consumer] of this.consumers) {
      if (consumer.topic === topic) this.drain(consumer, id.split('\u0000')[0] ?? '');
    }
  }

  private drain(consumer: Consumer, group: string): void {
    if (consumer.draining) return;
    consumer.draining = (async () => {
      // Deliver asynchronously, as a broker would: never inside the publisher's call stack.
      await Promise.resolve();
      const log = this.log(consumer.topic);
      while (!consumer.stopped && consumer.offset < log.length) {
        const offset = consumer.offset;
        const message = log[offset];
        if (message) await this.deliver(consumer, group, message, offset);
        consumer.offset = offset + 1;
      }
      consumer.draining = undefined;
    })();
  }

  private async deliver(
    consumer: Consumer,
    group: string,
    message: StoredMessage,
    offset: number,
  ): Promise<void> {
    const topic = consumer.topic;
    const outcome = await deliverWithRetry(async (attempt) => {
      if (!isTopicName(topic)) throw new Error(`Unknown topic ${topic}`);
      const event = decodeEnvelope(topic, message.value);
      await consumer.handle(event, {
        topic,
        partition: 0,
        offset: String(offset),
        key: message.key,
        attempt,
      });
    }, this.retry);
    if (outcome.kind === 'dead-letter') {
      this.append(deadLetterTopic(topic), {
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          'dlq-error': outcome.error,
          'dlq-attempts': String(outcome.attempts),
          'dlq-group': group,
          'dlq-original-topic': topic,
          'dlq-original-offset': String(offset),
        },
      });
    }
  }
}
