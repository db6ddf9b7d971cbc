import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from '../../../test/harness/servers.js';
import { waitFor } from '../../../test/harness/wait.js';
import { numberedEvent, PublishLog } from '../../../test/faults/publish-log.js';
import { OutboxRelay, type OutboxRecord } from '../events/outbox-relay.js';
import { createLogger } from '../logger.js';
import { createOutboxNotifyTrigger } from './outbox-notifications.js';
import { enqueueEvents, OutboxEventEntity, TypeormOutboxSource } from './outbox.js';

const logger = createLogger('typeorm-outbox-test');
let database: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  database = await createPostgresDatabase('typeorm_outbox');
  dataSource = await new DataSource({
    type: 'postgres',
    url: database.url,
    entities: [OutboxEventEntity],
    extra: { max: 20 },
  }).initialize();
  // The table as the subgraphs' migrations create it.
  await dataSource.query(`
    CREATE TABLE outbox_event (
      id bigserial PRIMARY KEY,
      topic varchar(200) NOT NULL,
      key varchar(200) NOT NULL,
      envelope text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz NULL)`);
  await dataSource.query('CREATE INDEX outbox_event_unsent ON outbox_event (sent_at, id)');
  const runner = dataSource.createQueryRunner();
  await createOutboxNotifyTrigger(runner);
  await runner.release();
});

beforeEach(async () => {
  await dataSource.query('TRUNCATE outbox_event');
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

/** Writes the `sequence`-th event of `key` in its own transaction, as a mutation would. */
async function write(key: string, sequence: number): Promise<void> {
  await dataSource.transaction((manager) =>
    enqueueEvents(manager, [{ topic: 'stock.updated', key, envelope: numberedEvent(key, sequence) }]),
  );
}

async function unsent(): Promise<number> {
  const [row] = await dataSource.query<{ n: number }[]>(
    'SELECT count(*)::int AS n FROM outbox_event WHERE sent_at IS NULL',
  );
  return row?.n ?? -1;
}

const publishAll = (records: readonly OutboxRecord[]) => Promise.resolve(records);

describe('TypeormOutboxSource with several relays on PostgreSQL', () => {
  it('two relays over one outbox, with interleaved writes, publish each aggregate’s events once and in order', async () => {
    const log = new PublishLog();
    const relays = ['relay-a', 'relay-b'].map(
      (name) =>
        new OutboxRelay(new TypeormOutboxSource(dataSource), log.busFor(name), {
          logger,
          pollIntervalMs: 5,
          batchSize: 4,
        }),
    );
    relays.forEach((relay) => relay.start());
    const keys = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'];
    const perKey = 30;
    // One writer per aggregate (the services serialize an aggregate's writes with a row lock);
    // all aggregates at once, each write waking one of the relays.
    await Promise.all(
      keys.map(async (key, k) => {
        for (let sequence = 1; sequence <= perKey; sequence += 1) {
          await write(key, sequence);
          relays[(k + sequence) % 2]?.notify();
          if (Math.random() < 0.3) await sleep(Math.random() * 5);
        }
      }),
    );
    await waitFor(async () => (await unsent()) === 0, { message: 'the outbox to drain' });
    await Promise.all(relays.map((relay) => relay.stop()));

    const expected = Array.from({ length: perKey }, (_, i) => i + 1);
    const sequences = log.sequencesByKey();
    for (const key of keys) expect(sequences.get(key), `events of ${key}`).toEqual(expected);
    expect(log.published).toHaveLength(keys.length * perKey);
    // Both relays did part of the work.
    expect(new Set(log.published.map((event) => event.relay))).toEqual(new Set(['relay-a', 'relay-b']));
  });

  it('skips the aggregates another relay holds and publishes the others', async () => {
    await write('held', 1);
    await write('free', 1);
    await write('held', 2);
    const other = dataSource.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query("SELECT pg_advisory_xact_lock(hashtext('outbox_event'), hashtext('held'))");
      const seen: string[] = [];
      const source = new TypeormOutboxSource(dataSource);
      const claimed = await source.claim(10, (records) => {
        seen.push(...records.map((record) => record.key));
        return Promise.resolve(records);
      });
      expect(claimed).toBe(1);
      expect(seen).toEqual(['free']);
      await other.commitTransaction();
      const after: string[] = [];
      await source.claim(10, (records) => {
        after.push(...records.map((record) => record.key));
        return Promise.resolve(records);
      });
      expect(after).toEqual(['held', 'held']);
      expect(await unsent()).toBe(0);
    } finally {
      await other.release();
    }
  });

  it('marks only the events published before a failure; the rest go out on the next claim, in order', async () => {
    for (let sequence = 1; sequence <= 5; sequence += 1) await write('k', sequence);
    const source = new TypeormOutboxSource(dataSource);
    const claimed = await source.claim(10, (records) => Promise.resolve(records.slice(0, 2)));
    expect(claimed).toBe(5);
    expect(await unsent()).toBe(3);
    const next: number[] = [];
    await source.claim(10, (records) => {
      next.push(
        ...records.map((record) => (record.envelope as { payload: { available: number } }).payload.available),
      );
      return publishAll(records);
    });
    expect(next).toEqual([3, 4, 5]);
  });
});

describe('TypeormOutboxSource notifications (LISTEN outbox_event)', () => {
  /** A relay that only polls once a minute: only notifications can make it publish in time. */
  function listeningRelay(log: PublishLog): OutboxRelay {
    return new OutboxRelay(new TypeormOutboxSource(dataSource), log.busFor('listening', 0), {
      logger,
      pollIntervalMs: 60_000,
    });
  }

  it('wakes a relay on each commit of another process’s writes, within milliseconds', async () => {
    const log = new PublishLog();
    const relay = listeningRelay(log);
    relay.start();
    // A writer with a pool of its own, as another process has; it never calls notify().
    const writer = await new DataSource({
      type: 'postgres',
      url: database.url,
      entities: [OutboxEventEntity],
    }).initialize();
    try {
      await sleep(300);
      const latencies: number[] = [];
      for (let sequence = 1; sequence <= 10; sequence += 1) {
        const committed = performance.now();
        await writer.transaction((manager) =>
          enqueueEvents(manager, [
            { topic: 'stock.updated', key: 'n', envelope: numberedEvent('n', sequence) },
          ]),
        );
        await waitFor(() => log.published.length === sequence, {
          intervalMs: 1,
          message: `event ${sequence}`,
        });
        latencies.push(performance.now() - committed);
      }
      expect(log.sequencesByKey().get('n')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(Math.max(...latencies)).toBeLessThan(1_000);
    } finally {
      await relay.stop();
      await writer.destroy();
    }
  });

  it('listens again after losing its connection, and publishes what was committed meanwhile', async () => {
    const log = new PublishLog();
    const relay = listeningRelay(log);
    relay.start();
    const listeners = async (): Promise<number> =>
      (
        await dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND application_name LIKE '%-outbox-listener'`,
        )
      )[0]?.n ?? 0;
    try {
      await waitFor(async () => (await listeners()) === 1, { message: 'the listener to connect' });
      await dataSource.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE '%-outbox-listener'`,
      );
      await write('lost', 1);
      await waitFor(() => log.published.length === 1, { message: 'the event committed while not listening' });
      await waitFor(async () => (await listeners()) === 1, { message: 'the listener to reconnect' });
      await write('lost', 2);
      await waitFor(() => log.published.length === 2, { timeoutMs: 5_000, message: 'the next notification' });
      expect(log.sequencesByKey().get('lost')).toEqual([1, 2]);
    } finally {
      await relay.stop();
    }
    expect(await listeners()).toBe(0);
  });
});
