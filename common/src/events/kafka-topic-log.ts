import { Consumer, ListOffsetTimestamps } from '@platformatic/kafka';
import type { Logger } from '../logger.js';
import { decodeEnvelope } from './envelope.js';
import type { LogBounds, LogPosition, LogReadOptions, LogRecord, TopicLog } from './topic-log.js';
import type { TopicName } from './topics.js';

export interface KafkaTopicLogOptions {
  readonly brokers: readonly string[];
  /** Prepended to every topic name, as on the KafkaEventBus that writes them. */
  readonly topicPrefix?: string;
  readonly logger: Logger;
  readonly clientId?: string;
  /** Creates the topics when missing, before their bounds are first asked (e.g. KafkaEventBus.ensureTopics). */
  readonly ensureTopics?: () => Promise<void>;
  /** How long a fetch waits for new records: the live stream's idle poll. Default 100 ms. */
  readonly maxWaitMs?: number;
}

/** Bytes one fetch may return per partition (a replay reads this much per round trip). */
const partitionMaxBytes = 1024 * 1024;
const retryDelayMs = 500;
/** Kafka's OFFSET_OUT_OF_RANGE: the position was deleted by retention while being read. */
const offsetOutOfRange = 1;

type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;

/**
 * The TopicLog on Apache Kafka with @platformatic/kafka, whose consumer can fetch by offset
 * without ever joining a group (kafkajs cannot: its consumers always join one). Each `read` gets
 * its own client: fetch sessions are per client and per broker, so two readers never share one.
 */
export class KafkaTopicLog implements TopicLog {
  readonly namespace: string;
  private readonly prefix: string;
  private readonly log: Logger;
  private readonly clients = new Set<Consumer>();
  private readonly admin: Consumer;

  constructor(private readonly options: KafkaTopicLogOptions) {
    this.prefix = options.topicPrefix ?? '';
    this.namespace = `kafka:${this.prefix}`;
    this.log = options.logger.child({ component: 'topic-log' });
    this.admin = this.client('bounds');
  }

  async bounds(topic: TopicName): Promise<LogBounds> {
    await this.options.ensureTopics?.();
    const physical = this.physical(topic);
    const [start, end] = await Promise.all([
      this.admin.listOffsets({ topics: [physical], timestamp: ListOffsetTimestamps.EARLIEST }),
      this.admin.listOffsets({ topics: [physical], timestamp: ListOffsetTimestamps.LATEST }),
    ]);
    return { start: numbers(start.get(physical)), end: numbers(end.get(physical)) };
  }

  async read<T extends TopicName>(
    topic: T,
    from: LogPosition,
    onRecords: (records: readonly LogRecord<T>[]) => void | Promise<void>,
    options: LogReadOptions & { readonly onInvalid?: (partition: number, offset: number) => void },
  ): Promise<void> {
    const { signal } = options;
    const physical = this.physical(topic);
    const client = this.client(`read-${topic}`);
    const position = [...from];
    try {
      while (!signal.aborted) {
        const records: LogRecord<T>[] = [];
        // Advanced only once every leader has answered: a failed round is fetched again whole.
        const next = [...position];
        try {
          const metadata = await client.metadata({ topics: [physical] });
          const described = metadata.topics.get(physical);
          if (!described) throw new Error(`Topic ${physical} is unknown to the broker`);
          while (next.length < described.partitionsCount) next.push(0);
          // A single broker here; with several, partitions are fetched from each leader in turn.
          const byLeader = new Map<number, number[]>();
          described.partitions.forEach((partition, index) => {
            byLeader.set(partition.leader, [...(byLeader.get(partition.leader) ?? []), index]);
          });
          for (const [node, partitions] of byLeader) {
            const response = await client.fetch({
              node,
              maxWaitTime: this.options.maxWaitMs ?? 100,
              minBytes: 1,
              maxBytes: partitionMaxBytes * partitions.length,
              topics: [
                {
                  topicId: described.id,
                  partitions: partitions.map((partition) => ({
                    partition,
                    fetchOffset: BigInt(next[partition] ?? 0),
                    partitionMaxBytes,
                    currentLeaderEpoch: -1,
                    lastFetchedEpoch: -1,
                  })),
                },
              ],
            });
            this.collect(topic, response, next, records, options.onInvalid);
          }
        } catch (error) {
          if (signal.aborted) break;
          this.log.warn({ err: error, topic }, 'reading the topic failed; retrying');
          client.clearMetadata();
          await sleep(retryDelayMs, signal);
          continue;
        }
        position.splice(0, position.length, ...next);
        if (records.length > 0) await onRecords(records);
        options.onPosition?.(position);
      }
    } finally {
      this.clients.delete(client);
      await client.close(true).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients].map((client) => client.close(true).catch(() => undefined)));
    this.clients.clear();
  }

  /** Decodes the fetched records past `position` into `records`, advancing `position`. */
  private collect<T extends TopicName>(
    topic: T,
    response: FetchResponse,
    position: number[],
    records: LogRecord<T>[],
    onInvalid: ((partition: number, offset: number) => void) | undefined,
  ): void {
    for (const answer of response.responses) {
      for (const partition of answer.partitions) {
        const index = partition.partitionIndex;
        if (partition.errorCode === offsetOutOfRange) {
          // Retention removed what this reader had not read yet: go on from the oldest kept.
          this.log.warn({ topic, partition: index }, 'position deleted by retention; skipping ahead');
          position[index] = Number(partition.logStartOffset);
          continue;
        }
        if (partition.errorCode !== 0) throw new Error(`Fetch error ${partition.errorCode} on ${topic}`);
        for (const batch of partition.records ?? []) {
          for (const record of batch.records) {
            const offset = Number(batch.firstOffset) + record.offsetDelta;
            if (offset < (position[index] ?? 0)) continue;
            position[index] = offset + 1;
            try {
              const event = decodeEnvelope(topic, record.value);
              const timestamp = Number(batch.firstTimestamp) + Number(record.timestampDelta);
              records.push({ partition: index, offset, key: record.key?.toString() ?? '', event, timestamp });
            } catch {
              onInvalid?.(index, offset);
            }
          }
        }
      }
    }
  }

  private client(purpose: string): Consumer {
    const client = new Consumer({
      clientId: `${this.options.clientId ?? 'commerce-topic-log'}-${purpose}`,
      bootstrapBrokers: [...this.options.brokers],
      // Required by the client's options; a reader never joins it (no JoinGroup is ever sent).
      groupId: 'commerce-topic-log-unused',
      connectTimeout: 3_000,
      retries: 5,
      retryDelay: 200,
    });
    this.clients.add(client);
    return client;
  }

  private physical(topic: string): string {
    return `${this.prefix}${topic}`;
  }
}

function numbers(offsets: readonly bigint[] | undefined): number[] {
  return (offsets ?? []).map((offset) => Number(offset));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** The TopicLog of the topics a KafkaEventBus writes with this configuration. */
export function createKafkaTopicLog(
  config: { readonly brokers: readonly string[]; readonly topicPrefix?: string | undefined },
  logger: Logger,
  ensureTopics?: () => Promise<void>,
): KafkaTopicLog {
  return new KafkaTopicLog({
    brokers: config.brokers,
    logger,
    ...(config.topicPrefix === undefined ? {} : { topicPrefix: config.topicPrefix }),
    ...(ensureTopics ? { ensureTopics } : {}),
  });
}
