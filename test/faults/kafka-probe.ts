/** Helpers of the fault tests that look at the real broker: is a consumer group caught up? */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { waitFor } from '../harness/wait.js';

/**
 * Per partition of `topic`: the end offset, and the offset the group committed (-1: none).
 * `topic` and `groupId` are physical names (with the topic prefix).
 */
export async function groupProgress(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<{ partition: number; high: bigint; committed: bigint }[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return ends.map(({ partition, high }) => ({
      partition,
      high: BigInt(high),
      committed: BigInt(offsets?.partitions.find((entry) => entry.partition === partition)?.offset ?? '-1'),
    }));
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the group has committed every message of the topic published so far. */
export async function waitForCaughtUp(
  kafka: Kafka,
  groupId: string,
  topic: string,
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(
    async () =>
      (await groupProgress(kafka, groupId, topic)).every(
        ({ high, committed }) => high === 0n || committed >= high,
      ),
    { timeoutMs, intervalMs: 100, message: `group ${groupId} to commit everything on ${topic}` },
  );
}

/** A unique Kafka topic prefix for one test file (its topics and consumer groups). */
export function topicPrefix(name: string): string {
  return `${name}-${randomUUID().slice(0, 8)}.`;
}

/** Deletes the topics of a prefix (best effort). */
export async function deleteTopics(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
