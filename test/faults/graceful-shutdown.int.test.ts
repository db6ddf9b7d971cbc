import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEnvelope, createKafkaClient, KafkaEventBus, OutboxRelay } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { enqueueEvents, OutboxEventEntity, TypeormOutboxSource } from '@commerce/common/typeorm';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, kafkaBrokers, type TestDatabase } from '../harness/servers.js';
import { waitFor } from '../harness/wait.js';
import { deleteTopics, groupProgress, topicPrefix } from './kafka-probe.js';

const logger = createLogger('faults-shutdown');
const prefix = topicPrefix('faults-shutdown');
const origin = { source: 'faults-test', correlationId: randomUUID() };
const deleted = (productId: string) => createEnvelope('product.deleted', { productId }, origin);
let kafka: Kafka;
let bus: KafkaEventBus;
let database: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  kafka = createKafkaClient('faults-shutdown', kafkaBrokers(), logger);
  bus = new KafkaEventBus(kafka, { topicPrefix: prefix, logger });
  await bus.ensureTopics();
  database = await createPostgresDatabase('faults_shutdown');
  dataSource = await new DataSource({
    type: 'postgres',
    url: database.url,
    entities: [OutboxEventEntity],
  }).initialize();
  await dataSource.query(`
    CREATE TABLE outbox_event (
      id bigserial PRIMARY KEY, topic varchar(200) NOT NULL, key varchar(200) NOT NULL,
      envelope text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz NULL)`);
});

afterAll(async () => {
  await bus?.close();
  await dataSource?.destroy();
  await deleteTopics(kafka, prefix);
  await database?.drop();
});

describe('graceful shutdown', () => {
  it('a consumer stopped in the middle of a message finishes it and commits it: its group does not see it again', async () => {
    const handled: string[] = [];
    let started = 0;
    const slowly = async (productId: string): Promise<void> => {
      started += 1;
      await sleep(1_000);
      handled.push(productId);
    };
    const stop = await bus.subscribe('product.deleted', 'slow', (event) => slowly(event.payload.productId), {
      fromBeginning: true,
    });
    await bus.publish('product.deleted', 'first', deleted('first'));
    await waitFor(() => started === 1, { message: 'the handler to start' });
    await stop();
    expect(handled).toEqual(['first']);
    const progress = await groupProgress(kafka, `${prefix}slow.product.deleted`, `${prefix}product.deleted`);
    expect(progress.every(({ high, committed }) => high === 0n || committed >= high)).toBe(true);

    await bus.publish('product.deleted', 'second', deleted('second'));
    const again = await bus.subscribe('product.deleted', 'slow', (event) => slowly(event.payload.productId), {
      fromBeginning: true,
    });
    try {
      await waitFor(() => handled.length === 2, { message: 'the second message' });
      expect(handled).toEqual(['first', 'second']);
    } finally {
      await again();
    }
  });

  it('a relay stopped in the middle of a backlog marks what it published, and a new one publishes the rest once', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `p${i}`);
    await dataSource.transaction((manager) =>
      enqueueEvents(
        manager,
        ids.map((id) => ({ topic: 'product.deleted' as const, key: id, envelope: deleted(id) })),
      ),
    );
    const seen: string[] = [];
    const stopObserving = await bus.subscribe(
      'product.deleted',
      'observer',
      (event) => Promise.resolve(void seen.push(event.payload.productId)),
      { fromBeginning: true },
    );
    const unsent = async (): Promise<number> =>
      (
        await dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM outbox_event WHERE sent_at IS NULL',
        )
      )[0]?.n ?? -1;
    try {
      const relay = new OutboxRelay(new TypeormOutboxSource(dataSource), bus, { logger, batchSize: 50 });
      relay.start();
      await waitFor(async () => (await unsent()) < 280, {
        intervalMs: 5,
        message: 'the relay to be under way',
      });
      await relay.stop();
      const left = await unsent();
      expect(left).toBeGreaterThan(0);
      const published = ids.length - left;
      await waitFor(() => seen.filter((id) => ids.includes(id)).length >= published, {
        message: `the ${published} events the stopped relay marked sent`,
      });

      const next = new OutboxRelay(new TypeormOutboxSource(dataSource), bus, { logger, batchSize: 50 });
      await next.flush();
      await waitFor(() => ids.every((id) => seen.includes(id)), { message: 'all 300 events' });
      expect(await unsent()).toBe(0);
      expect(seen.filter((id) => ids.includes(id))).toHaveLength(300);
    } finally {
      await stopObserving();
    }
  });
});
