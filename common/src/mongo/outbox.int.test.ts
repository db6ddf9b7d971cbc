import { randomUUID } from 'node:crypto';
import { createEnvelope } from '../events/envelope.js';
import { MongoClient, type Collection } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMongoDatabase } from '../../../test/harness/servers.js';
import { MongoOutboxSource, pendingEvent, type PendingEvent } from './outbox.js';

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
});
