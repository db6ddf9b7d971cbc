import { deliverWithRetry, defaultRetryPolicy, type DeliveryMonitor, type RetryPolicy } from './delivery.js';
import type { EventBus, Handler, Publication, SubscribeOptions } from './bus.js';
import { decodeEnvelope, encodeEvent, type Envelope } from './envelope.js';
import { deadLetterTopic, isTopicName, type TopicName, type Topics } from './topics.js';

/** A message as the in-process bus stores it: the same bytes and headers Kafka would carry. */
export interface StoredMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

interface Consumer {
  readonly topic: string;
  readonly group: string;
  /** The next message to deliver: it advances once a message is handled or dead-lettered. */
  offset: number;
  draining: Promise<void> | undefined;
  stopped: boolean;
  /** Ends the backoff in progress (on stop). */
  wake: (() => void) | undefined;
  readonly handle: Handler<unknown>;
  readonly monitor: DeliveryMonitor | undefined;
}

/** Thrown by a backoff when its consumer stops: the message stays at its offset. */
class ConsumerStopped extends Error {}

/**
 * The in-process event bus of the embedded mode and of unit tests: same topics, envelope,
 * validation, retry and dead-letter rules as Kafka, one log per topic, one offset per group.
 */
export class InMemoryEventBus implements EventBus<Topics> {
  private readonly logs = new Map<string, StoredMessage[]>();
  private readonly consumers = new Map<string, Consumer>();
  private readonly appendListeners = new Set<(topic: string) => void>();

  constructor(private readonly retry: RetryPolicy = { ...defaultRetryPolicy, initialBackoffMs: 10 }) {}

  async publish<T extends TopicName>(topic: T, key: string, event: Envelope<Topics[T]>): Promise<void> {
    await Promise.resolve();
    this.append(topic, encodeEvent(topic, key, event));
  }

  /** Validates every event, then appends them all in order (none when one is invalid). */
  async publishAll(events: readonly Publication[]): Promise<void> {
    await Promise.resolve();
    const messages = events.map(({ topic, key, event }) => ({
      topic,
      message: encodeEvent(topic, key, event),
    }));
    for (const { topic, message } of messages) this.append(topic, message);
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
      group,
      offset: options.fromBeginning ? 0 : this.log(topic).length,
      draining: undefined,
      stopped: false,
      wake: undefined,
      handle: handle as Handler<unknown>,
      monitor: options.monitor,
    };
    this.consumers.set(id, consumer);
    this.drain(consumer);
    return Promise.resolve(async () => {
      await this.stop(consumer);
      this.consumers.delete(id);
    });
  }

  /** Every message on a topic so far, e.g. a dead-letter topic in a test. */
  messages(topic: string): readonly StoredMessage[] {
    return this.log(topic);
  }

  /** Calls `listener` after each message appended to any topic; returns the unsubscribe. */
  onAppend(listener: (topic: string) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /**
   * True when every consumer is done with every message of its topic: handled, or dead-lettered.
   * A message waiting for a dependency (a transient failure being retried) is not done.
   */
  get settled(): boolean {
    for (const consumer of this.consumers.values()) {
      if (consumer.offset < this.log(consumer.topic).length) return false;
    }
    return true;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers.values()].map((consumer) => this.stop(consumer)));
    this.consumers.clear();
  }

  /** Stops after the attempt in hand; a message being retried stays where it is. */
  private async stop(consumer: Consumer): Promise<void> {
    consumer.stopped = true;
    consumer.wake?.();
    await consumer.draining;
  }

  private log(topic: string): StoredMessage[] {
    let log = this.logs.get(topic);
    if (!log) this.logs.set(topic, (log = []));
    return log;
  }

  private append(topic: string, message: StoredMessage): void {
    this.log(topic).push(message);
    for (const consumer of this.consumers.values()) {
      if (consumer.topic === topic) this.drain(consumer);
    }
    for (const listener of this.appendListeners) listener(topic);
  }

  private drain(consumer: Consumer): void {
    if (consumer.draining) return;
    consumer.draining = (async () => {
      // Deliver asynchronously, as a broker would: never inside the publisher's call stack.
      await Promise.resolve();
      const log = this.log(consumer.topic);
      try {
        while (!consumer.stopped && consumer.offset < log.length) {
          const offset = consumer.offset;
          const message = log[offset];
          if (message) await this.deliver(consumer, message, offset);
          consumer.offset = offset + 1;
        }
      } catch (error) {
        if (!(error instanceof ConsumerStopped)) throw error;
      } finally {
        consumer.draining = undefined;
      }
    })();
  }

  private async deliver(consumer: Consumer, message: StoredMessage, offset: number): Promise<void> {
    const { topic, group } = consumer;
    const delivery = { group, topic, partition: 0, offset: String(offset) };
    const outcome = await deliverWithRetry(
      async (attempt) => {
        if (!isTopicName(topic)) throw new Error(`Unknown topic ${topic}`);
        const event = decodeEnvelope(topic, message.value);
        await consumer.handle(event, {
          topic,
          partition: 0,
          offset: String(offset),
          key: message.key,
          attempt,
        });
      },
      this.retry,
      {
        sleep: (ms) => this.backoff(consumer, ms),
        monitor: consumer.monitor && { monitor: consumer.monitor, delivery },
      },
    );
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

  private backoff(consumer: Consumer, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        consumer.wake = undefined;
        if (consumer.stopped) reject(new ConsumerStopped('The consumer stopped'));
        else resolve();
      };
      const timer = setTimeout(done, ms);
      consumer.wake = done;
      if (consumer.stopped) done();
    });
  }
}
