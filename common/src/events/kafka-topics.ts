import type { Admin, Kafka } from 'kafkajs';
import { deadLetterTopic, topicNames } from './topics.js';

/**
 * Creates every project topic and its dead-letter topic (names prefixed) that the broker lacks,
 * and waits until their leaders are known.
 */
export async function createMissingTopics(kafka: Kafka, prefix: string, partitions: number): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = topicNames.flatMap((topic) => [topic, deadLetterTopic(topic)]).map((t) => `${prefix}${t}`);
    const missing = wanted.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin
        .createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
        })
        .catch(async (error: unknown) => {
          // kafkajs waits out LEADER_NOT_AVAILABLE only: the broker may not know yet of a topic it
          // has just created. The topics exist: wait until their metadata answers.
          if (!hasType(error, 'UNKNOWN_TOPIC_OR_PARTITION')) throw error;
          await waitForMetadata(admin, missing);
        });
    }
  } finally {
    await admin.disconnect();
  }
}

function hasType(error: unknown, type: string): boolean {
  return typeof error === 'object' && error !== null && 'type' in error && error.type === type;
}

async function waitForMetadata(admin: Admin, topics: readonly string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await admin.fetchTopicMetadata({ topics: [...topics] });
      return;
    } catch (error) {
      if (!hasType(error, 'UNKNOWN_TOPIC_OR_PARTITION') || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
