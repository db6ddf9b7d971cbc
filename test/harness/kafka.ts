import {
  createKafkaClient,
  createKafkaTopicLog,
  KafkaEventBus,
  type KafkaTopicLog,
  type Envelope,
  type TopicName,
  type Topics,
} from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { Kafka } from 'kafkajs';
import { kafkaBrokers, uniqueName } from './servers.js';
import { waitFor } from './wait.js';

/** A message seen on a topic: its Kafka key and the envelope. */
export interface RecordedEvent<T extends TopicName = TopicName> {
  readonly key: string;
  readonly event: Envelope<Topics[T]>;
}

/** A KafkaEventBus on the real broker whose topics and groups carry a prefix of their own. */
export interface TestKafkaBus {
  readonly bus: KafkaEventBus;
  /** The same topics read by position (as the gateway's subscriptions read them). */
  readonly log: KafkaTopicLog;
  /** The client behind the bus (e.g. for an admin). */
  readonly kafka: Kafka;
  readonly topicPrefix: string;
  /**
   * Records every message published from now on to `topics` (a consumer group of its own, from the
   * beginning of these private topics). Resolves once the recorder has joined.
   */
  record(topics: readonly TopicName[]): Promise<EventRecorder>;
  /** Closes the bus and deletes the prefixed topics. */
  close(): Promise<void>;
}

export interface EventRecorder {
  /** The messages of `topic` seen so far, in arrival order. */
  of<T extends TopicName>(topic: T): readonly RecordedEvent<T>[];
  /** Waits until `predicate` holds for a message of `topic`, and returns it. */
  waitFor<T extends TopicName>(
    topic: T,
    predicate: (recorded: RecordedEvent<T>) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedEvent<T>>;
}

/** Creates the bus (and every project topic under a unique prefix) on KAFKA_BROKERS or `brokers`. */
export async function createTestKafkaBus(
  name: string,
  logger: Logger,
  brokers: readonly string[] = kafkaBrokers(),
): Promise<TestKafkaBus> {
  const topicPrefix = `${uniqueName(name)}.`;
  const kafka = createKafkaClient(topicPrefix, brokers, logger);
  const bus = new KafkaEventBus(kafka, { topicPrefix, logger });
  await bus.ensureTopics();
  const log = createKafkaTopicLog({ brokers, topicPrefix }, logger);
  return {
    bus,
    log,
    kafka,
    topicPrefix,
    record: (topics) => recordEvents(bus, topics),
    close: async () => {
      await log.close();
      await bus.close();
      const admin = kafka.admin();
      await admin.connect();
      try {
        const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(topicPrefix));
        if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
      } catch {
        // Best effort: prefixed topics left behind harm no other run.
      } finally {
        await admin.disconnect();
      }
    },
  };
}

async function recordEvents(bus: KafkaEventBus, topics: readonly TopicName[]): Promise<EventRecorder> {
  const seen = new Map<TopicName, RecordedEvent[]>();
  const group = uniqueName('recorder');
  await Promise.all(
    topics.map((topic) =>
      bus.subscribe(
        topic,
        group,
        (event, delivery) => {
          const list = seen.get(topic) ?? [];
          list.push({ key: delivery.key, event });
          seen.set(topic, list);
          return Promise.resolve();
        },
        { fromBeginning: true },
      ),
    ),
  );
  const of = <T extends TopicName>(topic: T): readonly RecordedEvent<T>[] =>
    // Each list holds only messages of its own topic, validated by the bus against that topic's schema.
    (seen.get(topic) ?? []) as unknown as readonly RecordedEvent<T>[];
  return {
    of,
    waitFor: (topic, predicate, timeoutMs = 20_000) =>
      waitFor(() => of(topic).find(predicate), { timeoutMs, message: `an event on ${topic}` }),
  };
}
