import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, type Collection } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { numberedEvent, PublishLog } from '../../../test/faults/publish-log.js';
import { createMongoDatabase } from '../../../test/harness/servers.js';
import { waitFor } from '../../../test/harness/wait.js';
import { createEnvelope } from '../events/envelope.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import { createLogger } from '../logger.js';
import { withDocumentLock } from './document-lock.js';
import { OutboxLease } from './outbox-lease.js';
import { MongoOutboxSource, pendingEvent, removalsPerCommand, type PendingEvent } from './outbox.js';

const logger = createLogger('mongo-outbox-test');

interface Doc {
  _id: string;
  pendingEvents: PendingEvent[];
}

let database: Awaited<ReturnType<typeof createMongoDatabase>>;
let client: MongoClient;
let collection: Collection<Doc>;
let source: MongoOutboxSource;

const origin = { source: 'products', correlationId: randomUUID() };
const deleted = (productId: string) =>
  pendingEvent('product.deleted', productId, createEnvelope('product.deleted', { productId }, origin));

beforeAll(async () => {
  database = await createMongoDatabase('mongo_outbox');
  client = new MongoClient(database.url);
  await client.connect();
  const db = client.db(database.dbName);
  collection = db.collection<Doc>('outbox_docs');
  source = new MongoOutboxSource(db, 'outbox_docs');
});

beforeEach(async () => {
  await collection.deleteMany({});
});

afterAll(async () => {
  await client?.close();
  await database?.drop();
});

describe('MongoOutboxSource on FerretDB', () => {
  it('hands out pending events in write order per document and skips documents without any', async () => {
    const [a1, a2, b1] = [deleted('a'), deleted('a'), deleted('b')];
    await collection.insertMany([
      { _id: 'a', pendingEvents: [a1, a2] },
      { _id: 'b', pendingEvents: [b1] },
      { _id: 'c', pendingEvents: [] },
    ]);
    const records = await source.pending(10);
    expect(records.map((record) => record.id).sort()).toEqual(
      [`a/${a1.eventId}`, `a/${a2.eventId}`, `b/${b1.eventId}`].sort(),
    );
    const ofA = records.filter((record) => record.key === 'a').map((record) => record.id);
    expect(ofA).toEqual([`a/${a1.eventId}`, `a/${a2.eventId}`]);
    expect(records.find((record) => record.key === 'b')).toMatchObject({
      topic: 'product.deleted',
      envelope: b1.envelope,
    });
    expect(await source.pending(2)).toHaveLength(2);
  });

  it('markSent removes exactly the sent events, keeping those written meanwhile', async () => {
    const [a1, a2, later] = [deleted('a'), deleted('a'), deleted('a')];
    await collection.insertOne({ _id: 'a', pendingEvents: [a1, a2] });
    const records = await source.pending(10);
    await collection.updateOne({ _id: 'a' }, { $push: { pendingEvents: later } });
    await source.markSent(records.slice(0, 1));
    expect((await collection.findOne({ _id: 'a' }))?.pendingEvents.map((event) => event.eventId)).toEqual([
      a2.eventId,
      later.eventId,
    ]);
    await source.markSent(records.slice(1));
    expect((await source.pending(10)).map((record) => record.id)).toEqual([`a/${later.eventId}`]);
  });

  it('markSent over more documents than one command carries removes every sent event, and only those', async () => {
    const count = removalsPerCommand * 2 + 5;
    const keys = Array.from({ length: count }, (_, i) => `doc-${String(i).padStart(3, '0')}`);
    await collection.insertMany(
      keys.map((key) => ({ _id: key, pendingEvents: [deleted(key), deleted(key)] })),
    );
    const records = await source.pending(count * 2);
    expect(records).toHaveLength(count * 2);
    // Stores write under the documents' locks meanwhile: their events stay.
    const later = keys.filter((_, i) => i % 7 === 0).map((key) => ({ key, event: deleted(key) }));
    await Promise.all([
      source.markSent(records),
      ...later.map(({ key, event }) =>
        withDocumentLock(collection, key, () =>
          collection.updateOne({ _id: key }, { $push: { pendingEvents: event } }),
        ),
      ),
    ]);
    expect((await source.pending(count * 2)).map((record) => record.id).sort()).toEqual(
      later.map(({ key, event }) => `${key}/${event.eventId}`).sort(),
    );
  });
});

describe('MongoOutboxSource with several relays on FerretDB', () => {
  /** Appends the `sequence`-th event of document `key`, as the stores do: one locked $push. */
  async function write(key: string, sequence: number): Promise<void> {
    const event = pendingEvent('stock.updated', key, numberedEvent(key, sequence));
    await withDocumentLock(collection, key, () =>
      collection.updateOne({ _id: key }, { $push: { pendingEvents: event } }, { upsert: true }),
    );
  }

  async function pendingCount(): Promise<number> {
    const docs = await collection.find({}).toArray();
    return docs.reduce((sum, doc) => sum + doc.pendingEvents.length, 0);
  }

  it('two relays over one collection, with interleaved writes, publish each document’s events once and in order', async () => {
    const log = new PublishLog();
    const db = client.db(database.dbName);
    const relays = ['relay-a', 'relay-b'].map(
      (name) =>
        new OutboxRelay(new MongoOutboxSource(db, 'outbox_docs', { owner: name }), log.busFor(name), {
          logger,
          pollIntervalMs: 5,
          batchSize: 5,
        }),
    );
    relays.forEach((relay) => relay.start());
    const keys = ['d1', 'd2', 'd3', 'd4', 'd5'];
    const perKey = 20;
    await Promise.all(
      keys.map(async (key, k) => {
        for (let sequence = 1; sequence <= perKey; sequence += 1) {
          await write(key, sequence);
          relays[(k + sequence) % 2]?.notify();
          // Halfway, the relay holding the lease stops: the other takes over at once.
          if (k === 0 && sequence === perKey / 2) {
            const holder = log.published.at(-1)?.relay === 'relay-b' ? 1 : 0;
            await relays[holder]?.stop();
          }
          if (Math.random() < 0.3) await sleep(Math.random() * 5);
        }
      }),
    );
    await waitFor(async () => (await pendingCount()) === 0, { message: 'the outbox to drain' });
    await Promise.all(relays.map((relay) => relay.stop()));

    const expected = Array.from({ length: perKey }, (_, i) => i + 1);
    const sequences = log.sequencesByKey();
    for (const key of keys) expect(sequences.get(key), `events of ${key}`).toEqual(expected);
    expect(new Set(log.published.map((event) => event.relay))).toEqual(new Set(['relay-a', 'relay-b']));
  });

  it('hands the lease to one relay at a time: another takes it when released or expired', async () => {
    const db = client.db(database.dbName);
    let now = 1_000_000;
    const clock = { now: () => now, ttlMs: 30_000 };
    const outbox = `lease-test-${randomUUID()}`;
    const a = new OutboxLease(db, outbox, { ...clock, owner: 'a' });
    const b = new OutboxLease(db, outbox, { ...clock, owner: 'b' });

    const first = await Promise.all([a.acquire(), b.acquire()]);
    expect(first.filter(Boolean)).toHaveLength(1);
    const [holder, other] = first[0] ? [a, b] : [b, a];
    expect(await holder.acquire()).toBe(true);
    expect(await other.acquire()).toBe(false);

    await holder.release();
    expect(holder.holding()).toBe(false);
    expect(await other.acquire()).toBe(true);

    // The new holder stalls past its lease: the first takes over, and the stalled one finds out.
    now += 31_000;
    expect(other.holding()).toBe(false);
    expect(await holder.acquire()).toBe(true);
    expect(await other.acquire()).toBe(false);
    now += 16_000; // past half of the lease: the holder renews it
    expect(await holder.acquire()).toBe(true);
    now += 16_000;
    expect(holder.holding()).toBe(true);
    expect(await other.acquire()).toBe(false);
  });
});
