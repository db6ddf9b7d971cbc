/**
 * Reading and replaying dead letters (`<prefix><topic>.dlq`), for `npm run dlq` (scripts/dlq.ts)
 * and its tests. A dead letter is the original message (key, bytes, headers) plus the headers the
 * bus adds: dlq-error, dlq-attempts, dlq-group, dlq-original-topic, -partition, -offset.
 */
import { randomUUID } from 'node:crypto';
import { deadLetterTopic } from '@commerce/common/events';
import { Partitioners, type IHeaders, type Kafka, type KafkaMessage } from 'kafkajs';

export interface DeadLetter {
  /** Where the dead letter itself is, on the dead-letter topic. */
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  readonly error: string;
  readonly attempts: number;
  /** The consumer group that gave up on the message. */
  readonly group: string;
  readonly originalTopic: string;
  readonly originalPartition: string;
  readonly originalOffset: string;
}

export interface DeadLetterQuery {
  readonly kafka: Kafka;
  /** KAFKA_TOPIC_PREFIX of the services ('' in production). */
  readonly topicPrefix: string;
  /** The topic whose dead letters to read, e.g. `order.placed` (a trailing `.dlq` is accepted). */
  readonly topic: string;
  /** Only the dead letters of this consumer group. */
  readonly group?: string;
}

/** Every dead letter of the topic (and group), oldest first per partition. Commits nothing. */
export async function listDeadLetters(query: DeadLetterQuery): Promise<DeadLetter[]> {
  const found: DeadLetter[] = [];
  const groupId = `${query.topicPrefix}dlq-list-${randomUUID()}`;
  await readDeadLetters(query, groupId, (letter) => {
    if (matches(letter, query.group)) found.push(letter);
    return Promise.resolve('next');
  });
  const admin = query.kafka.admin();
  await admin.connect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect();
  return found;
}

/**
 * Publishes dead letters again to their original topic: the original key, bytes and headers
 * (without the dlq-* ones). Progress is kept in the consumer group `dlq-replay.<group|all>.<topic>`,
 * so a dead letter is replayed once per filter; the next run goes on after the last one replayed.
 * Every consumer group of the topic receives the replay (idempotent consumers skip what they had).
 * Resolves with the dead letters replayed.
 */
export async function replayDeadLetters(
  query: DeadLetterQuery & { readonly limit?: number },
): Promise<DeadLetter[]> {
  const topic = logicalTopic(query.topic);
  const groupId = `${query.topicPrefix}dlq-replay.${query.group ?? 'all'}.${topic}`;
  const producer = query.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // The services' partitioner (kafkajs's default, chosen explicitly): a replay keeps each key's partition.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const replayed: DeadLetter[] = [];
  try {
    await readDeadLetters(query, groupId, async (letter) => {
      if (query.limit !== undefined && replayed.length >= query.limit) return 'stop';
      if (matches(letter, query.group)) {
        await producer.send({
          topic: `${query.topicPrefix}${letter.originalTopic || topic}`,
          acks: -1,
          messages: [{ key: letter.key, value: letter.value, headers: withoutDlqHeaders(letter.headers) }],
        });
        replayed.push(letter);
      }
      return 'commit';
    });
  } finally {
    await producer.disconnect();
  }
  return replayed;
}

/** One line per dead letter, then the first bytes of the original message. */
export function formatDeadLetter(letter: DeadLetter, maxBytes = 160): string {
  const bytes = letter.value?.toString('utf8') ?? '';
  const shown = bytes.length > maxBytes ? `${bytes.slice(0, maxBytes)}… (${bytes.length} bytes)` : bytes;
  return (
    `[${letter.partition}:${letter.offset}] key=${letter.key} group=${letter.group} attempts=${letter.attempts} ` +
    `original=${letter.originalTopic}[${letter.originalPartition}]@${letter.originalOffset}\n` +
    `  error: ${letter.error}\n  bytes: ${JSON.stringify(shown)}`
  );
}

type Step = 'next' | 'commit' | 'stop';

/**
 * Reads the dead-letter topic with consumer group `groupId`, from its committed offsets (or the
 * start) up to the end as it was when called, handing each dead letter to `handle`. 'commit' commits
 * it for the group; 'stop' ends the read before it.
 */
async function readDeadLetters(
  query: DeadLetterQuery,
  groupId: string,
  handle: (letter: DeadLetter) => Promise<Step>,
): Promise<void> {
  const physical = `${query.topicPrefix}${deadLetterTopic(logicalTopic(query.topic))}`;
  const remaining = await unreadOffsets(query.kafka, physical, groupId);
  if (remaining.size === 0) return;
  const consumer = query.kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  let finish = (): void => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let stopped = false;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: physical, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const end = remaining.get(partition);
        if (stopped || end === undefined || BigInt(message.offset) >= end) return;
        const step = await handle(toDeadLetter(partition, message));
        if (step === 'stop') {
          stopped = true;
          return finish();
        }
        const next = BigInt(message.offset) + 1n;
        if (step === 'commit')
          await consumer.commitOffsets([{ topic: physical, partition, offset: next.toString() }]);
        if (next >= end) remaining.delete(partition);
        if (remaining.size === 0) finish();
      },
    });
    await finished;
  } finally {
    await consumer.disconnect();
  }
}

/** Per partition with something left to read for the group: the end offset (exclusive) now. */
async function unreadOffsets(kafka: Kafka, topic: string, groupId: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) throw new Error(`No dead-letter topic ${topic}`);
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const remaining = new Map<number, bigint>();
    for (const { partition, high, low } of ends) {
      const done = committed?.partitions.find((entry) => entry.partition === partition)?.offset ?? '-1';
      const start = BigInt(done) >= 0n ? BigInt(done) : BigInt(low);
      if (start < BigInt(high)) remaining.set(partition, BigInt(high));
    }
    return remaining;
  } finally {
    await admin.disconnect();
  }
}

function toDeadLetter(partition: number, message: KafkaMessage): DeadLetter {
  const headers = message.headers ?? {};
  const header = (name: string): string => {
    const value = headers[name];
    return (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
  };
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? '',
    value: message.value,
    headers,
    error: header('dlq-error'),
    attempts: Number(header('dlq-attempts') || 0),
    group: header('dlq-group'),
    originalTopic: header('dlq-original-topic'),
    originalPartition: header('dlq-original-partition'),
    originalOffset: header('dlq-original-offset'),
  };
}

function withoutDlqHeaders(headers: IHeaders): IHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('dlq-')));
}

function matches(letter: DeadLetter, group: string | undefined): boolean {
  return group === undefined || letter.group === group;
}

function logicalTopic(topic: string): string {
  return topic.endsWith('.dlq') ? topic.slice(0, -'.dlq'.length) : topic;
}
