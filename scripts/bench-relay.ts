/**
 * `tsx scripts/bench-relay.ts [--events 5000] [--keys 100] [--batch 100] [--mongo-events 1000]`
 *
 * How many events per second the outbox relay publishes to the real broker (acks from all in-sync
 * replicas, idempotent producer): a backlog of --events rows over --keys aggregates, drained by one
 * relay and by two relays sharing the outbox (PostgreSQL), and by one relay over FerretDB documents
 * (--mongo-events, two pending events per document: FerretDB v1 takes tens of ms per update, and
 * the relay updates each document once to remove its sent events, which bounds that figure).
 * Uses KAFKA_BROKERS, DATABASE_URL and MONGODB_URL (or .infra/env); creates and drops its own
 * database and topics.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  createEnvelope,
  createKafkaClient,
  KafkaEventBus,
  OutboxRelay,
  type Envelope,
  type TopicName,
  type Topics,
} from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { MongoOutboxSource, pendingEvent } from '@commerce/common/mongo';
import { enqueueEvents, OutboxEventEntity, TypeormOutboxSource } from '@commerce/common/typeorm';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { DataSource } from 'typeorm';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '5000' },
    keys: { type: 'string', default: '100' },
    batch: { type: 'string', default: '100' },
    'mongo-events': { type: 'string', default: '1000' },
  },
});
const events = Number(values.events);
const keys = Number(values.keys);
const batchSize = Number(values.batch);
const mongoEvents = Number(values['mongo-events']);
const env: Record<string, string | undefined> = { ...infraEnv(), ...process.env };
const logger = createLogger('bench-relay');
const prefix = `bench-${randomUUID().slice(0, 8)}.`;
const kafka = createKafkaClient('bench-relay', (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), logger);
const origin = { source: 'bench', correlationId: randomUUID() };
const dbName = `bench_relay_${randomUUID().slice(0, 8)}`;

function infraEnv(): Record<string, string> {
  const file = new URL('../.infra/env', import.meta.url);
  if (!existsSync(file)) return {};
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes('='));
  return Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
  );
}

/** The i-th event of the backlog: stock.updated of aggregate i % keys. */
function eventAt(i: number): { key: string; envelope: Envelope<Topics['stock.updated']> } {
  const key = `product-${i % keys}`;
  const payload = {
    productId: key,
    available: Math.floor(i / keys),
    reserved: 0,
    reorderThreshold: 0,
    lowStock: false,
    reason: 'ADJUSTED' as const,
    orderId: null,
    updatedAt: new Date().toISOString(),
    version: Math.floor(i / keys) + 1,
  };
  return { key, envelope: createEnvelope('stock.updated', payload, origin) };
}

/** The real bus, counting what it published. */
class CountingBus extends KafkaEventBus {
  published = 0;

  override async publish<T extends TopicName>(
    topic: T,
    key: string,
    event: Envelope<Topics[T]>,
  ): Promise<void> {
    await super.publish(topic, key, event);
    this.published += 1;
  }
}

function newBus(): CountingBus {
  return new CountingBus(kafka, { topicPrefix: prefix, logger });
}

/**
 * Drains a backlog of `count` events with one relay per source (own producer each) and resolves
 * with events per second; `left` (the store's own count) must read 0 afterwards.
 */
async function drain(
  sources: readonly (TypeormOutboxSource | MongoOutboxSource)[],
  count: number,
  left: () => Promise<number>,
): Promise<{ seconds: number; perSecond: number }> {
  const buses = sources.map(() => newBus());
  // Connect the producers before timing.
  await Promise.all(buses.map((bus) => bus.publish('stock.updated', 'warm-up', eventAt(0).envelope)));
  const relays = sources.map(
    (source, i) => new OutboxRelay(source, buses[i]!, { logger, batchSize, pollIntervalMs: 20 }),
  );
  const published = (): number => buses.reduce((sum, bus) => sum + bus.published - 1, 0);
  const started = performance.now();
  relays.forEach((relay) => relay.start());
  while (published() < count) await new Promise((resolve) => setTimeout(resolve, 10));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(relays.map((relay) => relay.stop()));
  await Promise.all(buses.map((bus) => bus.close()));
  const remaining = await left();
  if (remaining > 0 || published() !== count)
    throw new Error(`after the drain: ${remaining} left in the store, ${published()} published of ${count}`);
  return { seconds, perSecond: count / seconds };
}

async function benchPostgres(relays: number): Promise<{ seconds: number; perSecond: number }> {
  const base = env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/commerce';
  const url = new URL(base);
  url.pathname = `/${dbName}_${relays}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}_${relays}"`);
  const dataSource = await new DataSource({
    type: 'postgres',
    url: url.toString(),
    entities: [OutboxEventEntity],
  }).initialize();
  try {
    await dataSource.query(`CREATE TABLE outbox_event (id bigserial PRIMARY KEY, topic varchar(200) NOT NULL,
      key varchar(200) NOT NULL, envelope text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz)`);
    await dataSource.query('CREATE INDEX outbox_event_unsent ON outbox_event (sent_at, id)');
    for (let from = 0; from < events; from += 500) {
      const chunk = Array.from({ length: Math.min(500, events - from) }, (_, i) => ({
        topic: 'stock.updated' as const,
        ...eventAt(from + i),
      }));
      await dataSource.transaction((manager) => enqueueEvents(manager, chunk));
    }
    const left = async (): Promise<number> =>
      (
        await dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM outbox_event WHERE sent_at IS NULL',
        )
      )[0]?.n ?? 0;
    return await drain(
      Array.from({ length: relays }, () => new TypeormOutboxSource(dataSource)),
      events,
      left,
    );
  } finally {
    await dataSource.destroy();
    await admin.query(`DROP DATABASE "${dbName}_${relays}" WITH (FORCE)`);
    await admin.end();
  }
}

async function benchMongo(): Promise<{ seconds: number; perSecond: number }> {
  const client = new MongoClient(env['MONGODB_URL'] ?? 'mongodb://127.0.0.1:27017/commerce');
  await client.connect();
  const db = client.db(dbName);
  try {
    // As the stores keep them: events inside their aggregate's document, here two per document
    // (an order placed, then its status changed), since a document rarely holds more for long.
    const docs = db.collection<{ _id: string; pendingEvents: ReturnType<typeof pendingEvent>[] }>('docs');
    for (let from = 0; from < mongoEvents; from += 1000) {
      const chunk = [];
      for (let i = from; i < Math.min(mongoEvents, from + 1000); i += 2) {
        const key = `order-${i}`;
        const pair = [i, i + 1].filter((n) => n < mongoEvents).map((n) => ({ ...eventAt(n), key }));
        chunk.push({
          _id: key,
          pendingEvents: pair.map((e) => pendingEvent('stock.updated', key, e.envelope)),
        });
      }
      await docs.insertMany(chunk);
    }
    const left = (): Promise<number> => docs.countDocuments({ 'pendingEvents.0': { $exists: true } });
    return await drain([new MongoOutboxSource(db, 'docs')], mongoEvents, left);
  } finally {
    await db.dropDatabase();
    await client.close();
  }
}

const setup = newBus();
await setup.ensureTopics();
await setup.close();
try {
  console.log(
    `relay benchmark: ${events} events over ${keys} aggregates, batches of ${batchSize}, broker ${env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'}`,
  );
  for (const relays of [1, 2]) {
    const result = await benchPostgres(relays);
    console.log(
      `PostgreSQL outbox, ${relays} relay(s): ${result.perSecond.toFixed(0)} events/s (${result.seconds.toFixed(2)} s)`,
    );
  }
  const mongo = await benchMongo();
  console.log(
    `FerretDB outbox (${mongoEvents} events, 2 per document), 1 relay: ${mongo.perSecond.toFixed(0)} events/s (${mongo.seconds.toFixed(2)} s)`,
  );
} finally {
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}
