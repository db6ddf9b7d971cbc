/**
 * `tsx scripts/bench-relay.ts [--events 5000] [--keys 100] [--batch 500] [--mongo-events 1000] [--runs 3]
 *   [--only postgres|ferretdb] [--mongo-url URL]...`
 *
 * How many events per second the outbox relay publishes to the real broker (acks from all in-sync
 * replicas, idempotent producer), before and after batch publishing, side by side in one run:
 * "one by one" is the previous relay (claims of 100 events, one produce request per event),
 * "batched" publishes each claim of --batch events in one produce request. Each figure is the
 * median of --runs drains of a fresh backlog: --events rows over --keys aggregates in PostgreSQL
 * (one relay, and two relays sharing the outbox), --mongo-events events in FerretDB documents (two
 * pending events per document, as an order placed then confirmed leaves them).
 * Then the wake-up latency, commit -> broker acknowledgement, of single events written one at a
 * time: PostgreSQL by a writer with a pool of its own (as another process) with LISTEN/NOTIFY and
 * with polling only, FerretDB with the in-process notify().
 * Uses KAFKA_BROKERS, DATABASE_URL and MONGODB_URL (or .infra/env); creates and drops its own
 * databases and topics. `--mongo-url` (repeatable) measures the FerretDB outbox on each server
 * given instead, alternating between them (e.g. two FerretDB builds side by side); `--only` runs
 * one store's cases.
 */
import { randomUUID } from 'node:crypto';
import { infraEnv, stockEvent } from '../test/harness/bench.js';
import { parseArgs } from 'node:util';
import {
  createKafkaClient,
  KafkaEventBus,
  OutboxRelay,
  type Envelope,
  type EventBus,
  type OutboxSource,
  type Publication,
  type TopicName,
  type Topics,
} from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { MongoOutboxSource, pendingEvent } from '@commerce/common/mongo';
import {
  createOutboxNotifyTrigger,
  enqueueEvents,
  OutboxEventEntity,
  TypeormOutboxSource,
} from '@commerce/common/typeorm';
import { MongoClient, type Db } from 'mongodb';
import pg from 'pg';
import { DataSource } from 'typeorm';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '5000' },
    keys: { type: 'string', default: '100' },
    batch: { type: 'string', default: '500' },
    'mongo-events': { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    'mongo-url': { type: 'string', multiple: true },
  },
});
const events = Number(values.events);
const keys = Number(values.keys);
const batchSize = Number(values.batch);
const mongoEvents = Number(values['mongo-events']);
const runs = Number(values.runs);
const env: Record<string, string | undefined> = { ...infraEnv(), ...process.env };
const only = values.only;
if (only !== undefined && only !== 'postgres' && only !== 'ferretdb')
  throw new Error('--only must be postgres or ferretdb');
const mongoUrls = values['mongo-url'] ?? [env['MONGODB_URL'] ?? 'mongodb://127.0.0.1:27017/commerce'];
const logger = createLogger('bench-relay');
const prefix = `bench-${randomUUID().slice(0, 8)}.`;
const kafka = createKafkaClient('bench-relay', (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), logger);
const origin = { source: 'bench', correlationId: randomUUID() };
const dbName = `bench_relay_${randomUUID().slice(0, 8)}`;

/** The i-th event of the backlog: stock.updated of aggregate i % keys. */
function eventAt(i: number): { key: string; envelope: Envelope<Topics['stock.updated']> } {
  const key = `product-${i % keys}`;
  return { key, envelope: stockEvent(key, Math.floor(i / keys), Math.floor(i / keys) + 1, origin) };
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

  override async publishAll(batch: readonly Publication[]): Promise<void> {
    await super.publishAll(batch);
    this.published += batch.length;
  }
}

type Mode = 'one by one' | 'batched';

/** The relay's bus: "one by one" hides publishAll, so the relay sends one event per request. */
function relayBus(bus: CountingBus, mode: Mode): EventBus {
  if (mode === 'batched') return bus;
  return {
    publish: (topic, key, event) => bus.publish(topic, key, event),
    subscribe: (topic, group, handle, options) => bus.subscribe(topic, group, handle, options),
    close: () => bus.close(),
  };
}

const newBus = (): CountingBus => new CountingBus(kafka, { topicPrefix: prefix, logger });

/**
 * Events per second of one relay per source draining a backlog of `count`, until the last event is
 * marked sent; `left` (the store's own count) must read 0 afterwards.
 */
async function drain(
  sources: readonly OutboxSource[],
  mode: Mode,
  count: number,
  left: () => Promise<number>,
): Promise<number> {
  const buses = sources.map(() => newBus());
  // Connect the producers before timing.
  await Promise.all(buses.map((bus) => bus.publish('stock.updated', 'warm-up', eventAt(0).envelope)));
  const relays = sources.map(
    (source, i) =>
      new OutboxRelay(source, relayBus(buses[i]!, mode), {
        logger,
        batchSize: mode === 'batched' ? batchSize : 100,
        pollIntervalMs: 20,
      }),
  );
  const published = (): number => buses.reduce((sum, bus) => sum + bus.published - 1, 0);
  const started = performance.now();
  relays.forEach((relay) => relay.start());
  while (published() < count) await new Promise((resolve) => setTimeout(resolve, 5));
  // Stopping waits for the claim in hand: the last events are marked sent, not only acknowledged.
  await Promise.all(relays.map((relay) => relay.stop()));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(buses.map((bus) => bus.close()));
  const remaining = await left();
  if (remaining > 0 || published() !== count)
    throw new Error(`after the drain: ${remaining} left in the store, ${published()} published of ${count}`);
  return count / seconds;
}

/** A fresh PostgreSQL database with the outbox table as the migrations create it (trigger included). */
async function withPostgres<T>(
  name: string,
  work: (dataSource: DataSource, url: string) => Promise<T>,
): Promise<T> {
  const base = env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/commerce';
  const url = new URL(base);
  url.pathname = `/${dbName}_${name}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}_${name}"`);
  const dataSource = await new DataSource({
    type: 'postgres',
    url: url.toString(),
    entities: [OutboxEventEntity],
  }).initialize();
  try {
    await dataSource.query(`CREATE TABLE outbox_event (id bigserial PRIMARY KEY, topic varchar(200) NOT NULL,
      key varchar(200) NOT NULL, envelope text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz)`);
    await dataSource.query('CREATE INDEX outbox_event_unsent ON outbox_event (sent_at, id)');
    const runner = dataSource.createQueryRunner();
    await createOutboxNotifyTrigger(runner);
    await runner.release();
    return await work(dataSource, url.toString());
  } finally {
    await dataSource.destroy();
    await admin.query(`DROP DATABASE "${dbName}_${name}" WITH (FORCE)`);
    await admin.end();
  }
}

async function benchPostgres(relays: number, mode: Mode, run: number): Promise<number> {
  return withPostgres(`${relays}_${mode === 'batched' ? 'b' : 'o'}_${run}`, async (dataSource) => {
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
    return drain(
      Array.from({ length: relays }, () => new TypeormOutboxSource(dataSource)),
      mode,
      events,
      left,
    );
  });
}

interface PendingDoc {
  _id: string;
  pendingEvents: ReturnType<typeof pendingEvent>[];
}

async function withMongo<T>(
  name: string,
  work: (db: Db) => Promise<T>,
  url = mongoUrls[0] ?? '',
): Promise<T> {
  const client = new MongoClient(url);
  await client.connect();
  const db = client.db(`${dbName}_${name}`);
  try {
    return await work(db);
  } finally {
    await db.dropDatabase();
    await client.close();
  }
}

async function benchMongo(url: string, mode: Mode, run: number): Promise<number> {
  return withMongo(
    `${mode === 'batched' ? 'b' : 'o'}_${run}`,
    async (db) => {
      // As the stores keep them: events inside their aggregate's document, here two per document.
      const docs = db.collection<PendingDoc>('docs');
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
      return drain([new MongoOutboxSource(db, 'docs')], mode, mongoEvents, left);
    },
    url,
  );
}

/**
 * Milliseconds from each write's commit to the broker's acknowledgement of its event, for `count`
 * single-event writes 50 ms apart (p50, p99), with the relay's own wake -> ack median.
 */
async function wakeUpLatency(
  source: OutboxSource,
  write: (i: number) => Promise<void>,
  options: { pollIntervalMs: number; notify: boolean },
  count = 100,
): Promise<{ p50: number; p99: number; wakeToAck: number }> {
  const bus = newBus();
  await bus.publish('stock.updated', 'warm-up', eventAt(0).envelope);
  const acked: number[] = [];
  const wakeToAck: number[] = [];
  const relay = new OutboxRelay(source, bus, { logger, pollIntervalMs: options.pollIntervalMs });
  relay.observe((batch) => {
    for (let i = 0; i < batch.size; i += 1) acked.push(performance.now());
    wakeToAck.push(batch.wakeToAckSeconds * 1000);
  });
  relay.start();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const latencies: number[] = [];
  for (let i = 0; i < count; i += 1) {
    await write(i);
    const committed = performance.now();
    if (options.notify) relay.notify();
    while (acked.length <= i) await new Promise((resolve) => setImmediate(resolve));
    latencies.push(acked[i]! - committed);
    await new Promise((resolve) => setTimeout(resolve, 50 * Math.random()));
  }
  await relay.stop();
  await bus.close();
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    wakeToAck: quantile(wakeToAck, 0.5),
  };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const median = (values: readonly number[]): number => quantile(values, 0.5);

/** The label of a FerretDB server in the report: its address when several are compared. */
const mongoLabel = (url: string): string =>
  mongoUrls.length > 1 ? `FerretDB ${new URL(url).host}` : 'FerretDB';

async function latencies(): Promise<void> {
  const single = (i: number) => [{ topic: 'stock.updated' as const, ...eventAt(i) }];
  for (const listen of only === 'ferretdb' ? [] : [true, false]) {
    const result = await withPostgres(`latency_${listen ? 'l' : 'p'}`, async (dataSource, url) => {
      // The writer has a pool of its own and never calls notify(): another process, as far as the relay knows.
      const writer = await new DataSource({
        type: 'postgres',
        url,
        entities: [OutboxEventEntity],
      }).initialize();
      const typeorm = new TypeormOutboxSource(dataSource);
      const source: OutboxSource = listen
        ? typeorm
        : {
            claim: (limit, publish) => typeorm.claim(limit, publish),
            pendingCount: () => typeorm.pendingCount(),
          };
      try {
        return await wakeUpLatency(
          source,
          (i) => writer.transaction((manager) => enqueueEvents(manager, single(i))),
          { pollIntervalMs: listen ? 2_000 : 500, notify: false },
        );
      } finally {
        await writer.destroy();
      }
    });
    console.log(
      `  PostgreSQL, writer in another process, ${listen ? 'LISTEN/NOTIFY (poll fallback 2 s)' : 'polling every 500 ms (before)'}: ` +
        `commit -> ack p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms; relay wake -> ack p50 ${result.wakeToAck.toFixed(1)} ms`,
    );
  }
  for (const url of only === 'postgres' ? [] : mongoUrls) {
    const mongo = await withMongo(
      'latency',
      async (db) => {
        const docs = db.collection<PendingDoc>('docs');
        return wakeUpLatency(
          new MongoOutboxSource(db, 'docs'),
          async (i) => {
            const { key, envelope } = eventAt(i);
            await docs.insertOne({
              _id: `doc-${i}`,
              pendingEvents: [pendingEvent('stock.updated', key, envelope)],
            });
          },
          { pollIntervalMs: 500, notify: true },
        );
      },
      url,
    );
    console.log(
      `  ${mongoLabel(url)}, in-process notify() (no change streams in FerretDB 1.24): commit -> ack p50 ${mongo.p50.toFixed(1)} ms, ` +
        `p99 ${mongo.p99.toFixed(1)} ms; relay wake -> ack p50 ${mongo.wakeToAck.toFixed(1)} ms`,
    );
  }
}

const setup = newBus();
await setup.ensureTopics();
await setup.close();
try {
  console.log(
    `relay benchmark: PostgreSQL ${events} events over ${keys} aggregates, FerretDB ${mongoEvents} events (2 per document); ` +
      `batched = ${batchSize} per produce request; median of ${runs} runs; broker ${env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'}`,
  );
  type Case = { name: string; run: (mode: Mode, run: number) => Promise<number> };
  const postgresCases: Case[] = [
    { name: 'PostgreSQL outbox, 1 relay', run: (mode, run) => benchPostgres(1, mode, run) },
    { name: 'PostgreSQL outbox, 2 relays', run: (mode, run) => benchPostgres(2, mode, run) },
  ];
  const mongoCases: Case[] = mongoUrls.map((url) => ({
    name: `${mongoLabel(url)} outbox, 1 relay`,
    run: (mode, run) => benchMongo(url, mode, run),
  }));
  const cases = [...(only === 'ferretdb' ? [] : postgresCases), ...(only === 'postgres' ? [] : mongoCases)];
  const width = Math.max(30, ...cases.map(({ name }) => name.length));
  console.log(`${'outbox'.padEnd(width)} ${'one by one'.padStart(26)} ${'batched'.padStart(26)}  speed-up`);
  // Several FerretDB servers take turns run by run, so that a slow spell of the machine hits each.
  const groups = [
    ...(only === 'ferretdb' ? [] : postgresCases.map((c) => [c])),
    ...(only === 'postgres' ? [] : [mongoCases]),
  ];
  for (const group of groups) {
    const figures = group.map((): Record<Mode, number[]> => ({ 'one by one': [], batched: [] }));
    // Alternating, so that a slow spell of the machine hits both.
    for (let r = 0; r < runs; r += 1)
      for (const [i, { run }] of group.entries())
        for (const mode of ['one by one', 'batched'] as const) figures[i]![mode].push(await run(mode, r));
    for (const [i, { name }] of group.entries()) {
      const figure = figures[i]!;
      const cell = (mode: Mode) =>
        `${median(figure[mode]).toFixed(0)} ev/s [${figure[mode].map((n) => n.toFixed(0)).join(' ')}]`;
      console.log(
        `${name.padEnd(width)} ${cell('one by one').padStart(26)} ${cell('batched').padStart(26)}  ` +
          `${(median(figure.batched) / median(figure['one by one'])).toFixed(1)}x`,
      );
    }
  }
  console.log('wake-up latency (100 single-event writes):');
  await latencies();
} finally {
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}
