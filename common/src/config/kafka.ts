import { readInt, type Env } from './env.js';

/** Kafka settings; absent when KAFKA_BROKERS is not set (embedded mode: in-process bus). */
export interface KafkaConfig {
  readonly brokers: readonly string[];
  /** KAFKA_TOPIC_PREFIX: isolates topics and groups, e.g. per test run. */
  readonly topicPrefix: string;
  /** KAFKA_PARTITIONS: partitions of topics created at start (default 3). */
  readonly partitions: number;
}

export function readKafkaConfig(env: Env): KafkaConfig | null {
  const brokers = env['KAFKA_BROKERS']?.trim();
  if (!brokers) return null;
  return Object.freeze({
    brokers: Object.freeze(
      brokers
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean),
    ),
    topicPrefix: env['KAFKA_TOPIC_PREFIX']?.trim() ?? '',
    partitions: readInt(env, 'KAFKA_PARTITIONS', 3) || 3,
  });
}
