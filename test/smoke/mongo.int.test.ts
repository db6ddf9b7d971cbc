import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoDatabase, type TestMongoDatabase } from '../harness/servers.js';

interface Counter {
  sku: string;
  count: number;
  tags: string[];
}

describe('MongoDB smoke (mongodb driver against FerretDB)', () => {
  let database: TestMongoDatabase;
  let client: MongoClient;
  let counters: Collection<Counter>;

  beforeAll(async () => {
    database = await createMongoDatabase('smoke');
    client = new MongoClient(database.url, { serverSelectionTimeoutMS: 10_000 });
    await client.connect();
    counters = client.db(database.dbName).collection<Counter>('counters');
    await counters.createIndex({ sku: 1 }, { unique: true, name: 'sku_unique' });
  });

  afterAll(async () => {
    await client?.close();
    await database?.drop();
  });

  it('inserts and finds documents', async () => {
    const inserted = await counters.insertOne({ sku: 'a', count: 1, tags: ['x'] });
    expect(inserted.acknowledged).toBe(true);
    await counters.insertOne({ sku: 'b', count: 10, tags: [] });

    const found = await counters
      .find({ count: { $gte: 1 } }, { projection: { _id: 0 } })
      .sort({ sku: 1 })
      .toArray();
    expect(found).toEqual([
      { sku: 'a', count: 1, tags: ['x'] },
      { sku: 'b', count: 10, tags: [] },
    ]);
  });

  it('updates with $inc and $push', async () => {
    const result = await counters.updateOne({ sku: 'a' }, { $inc: { count: 4 }, $push: { tags: 'y' } });
    expect(result.matchedCount).toBe(1);
    expect(result.modifiedCount).toBe(1);

    const after = await counters.findOneAndUpdate(
      { sku: 'a' },
      { $inc: { count: -2 } },
      { returnDocument: 'after' },
    );
    expect(after).toMatchObject({ sku: 'a', count: 3, tags: ['x', 'y'] });
  });

  it('rejects a duplicate key on the unique index with code 11000', async () => {
    const error: unknown = await counters.insertOne({ sku: 'a', count: 0, tags: [] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({ code: 11000 });
    expect(await counters.countDocuments({ sku: 'a' })).toBe(1);
  });
});
