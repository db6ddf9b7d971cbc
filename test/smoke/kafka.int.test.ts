import { Kafka, logLevel, Partitioners, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/wait.js';
import { createKafkaTopic, kafkaBrokers, uniqueName } from '../harness/servers.js';

describe('Kafka smoke (kafkajs against the local broker)', () => {
  let kafka: Kafka;
  let producer: Producer;
  let consumer: Consumer;
  let topic: string;
  const groupId = uniqueName('smoke-group');
  const received: { partition: number; message: KafkaMessage }[] = [];

  beforeAll(async () => {
    kafka = new Kafka({ clientId: 'smoke', brokers: kafkaBrokers(), logLevel: logLevel.WARN });
    topic = await createKafkaTopic('smoke', 3);
    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    consumer = kafka.consumer({ groupId });
    await producer.connect();
    await consumer.connect();
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
  });

  it('creates the topic with 3 partitions', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0]?.partitions).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
  });

  it('round-trips messages through an idempotent producer and a consumer group, committing offsets', async () => {
    const groupJoined = new Promise<void>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    });
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => Promise.resolve(void received.push({ partition, message })),
    });
    await groupJoined;

    const sent = [0, 1, 2, 3, 4, 5].map((i) => ({
      key: `key-${i}`,
      value: JSON.stringify({ i }),
      partition: i % 3,
      headers: { 'x-smoke': `h${i}` },
    }));
    const metadata = await producer.send({ topic, acks: -1, messages: sent });
    expect(metadata.every((m) => m.errorCode === 0)).toBe(true);

    await waitFor(() => received.length >= sent.length, { timeoutMs: 30_000, message: 'all smoke messages' });
    const byKey = new Map(
      received.map(({ partition, message }) => [message.key?.toString(), { partition, message }]),
    );
    for (const [i, m] of sent.entries()) {
      const got = byKey.get(m.key);
      expect(got?.partition).toBe(i % 3);
      expect(JSON.parse(got?.message.value?.toString() ?? 'null')).toEqual({ i });
      expect(got?.message.headers?.['x-smoke']?.toString()).toBe(`h${i}`);
    }

    // Auto-commit runs after each batch: wait until every partition's offset is committed.
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
          return offsets?.partitions.every((p) => p.offset === '2');
        },
        { timeoutMs: 20_000, message: 'committed offsets' },
      );
    } finally {
      await admin.disconnect();
    }
  });
});
