/**
 * The FerretDB that `npm run infra:up` builds carries scripts/infra/ferretdb/patches/. These run on
 * a private FerretDB built from this checkout (not the shared one, which may still run an older
 * build, and which the second check would stall if it were unpatched).
 */
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateFerretDb, type PrivateDatabaseServer } from '../faults/private-servers.js';

interface Doc {
  _id: string;
  n: number;
}

describe('FerretDB as infra:up builds it (scripts/infra/ferretdb/patches)', () => {
  let server: PrivateDatabaseServer;
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    server = await startPrivateFerretDb();
    client = await new MongoClient(server.url, { serverSelectionTimeoutMS: 10_000 }).connect();
    db = client.db('patches');
    await db
      .collection<Doc>('docs')
      .insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: `doc-${i}`, n: 0 })));
  });

  afterAll(async () => {
    await client?.close();
    await server?.destroy();
  });

  it('looks documents up by _id through the _id index (0001), not by scanning the table', async () => {
    const explained = (await db.collection<Doc>('docs').find({ _id: 'doc-7' }).explain()) as {
      queryPlanner?: unknown;
    };
    const plan = JSON.stringify(explained.queryPlanner);
    expect(plan).toMatch(/SEARCH .* USING INDEX/);
    expect(plan).not.toMatch(/SCAN/);
    expect(await db.collection<Doc>('docs').findOne({ _id: 'doc-7' })).toEqual({ _id: 'doc-7', n: 0 });
  });

  it('narrows a filter with an _id equality by the _id index, whatever else it holds (0003)', async () => {
    const docs = db.collection<Doc>('docs');
    const explained = (await docs.find({ _id: 'doc-8', n: 0, $and: [{ n: { $lt: 5 } }] }).explain()) as {
      queryPlanner?: unknown;
    };
    expect(JSON.stringify(explained.queryPlanner)).toMatch(/SEARCH .* USING INDEX/);
    // The rest of the filter still applies.
    expect(await docs.findOne({ _id: 'doc-8', n: 0, $and: [{ n: { $lt: 5 } }] })).toEqual({
      _id: 'doc-8',
      n: 0,
    });
    expect(await docs.findOne({ _id: 'doc-8', n: 1 })).toBeNull();
    expect((await docs.updateOne({ _id: 'doc-8', n: 1 }, { $set: { n: 2 } })).matchedCount).toBe(0);
  });

  it('applies an update command of more statements than its connection pool holds (0002)', async () => {
    const docs = db.collection<Doc>('docs');
    const result = await docs.bulkWrite(
      Array.from({ length: 300 }, (_, i) => ({
        updateOne: { filter: { _id: `doc-${i}` }, update: { $inc: { n: 1 } } },
      })),
    );
    expect(result.modifiedCount).toBe(300);
    expect(await docs.countDocuments({ n: 1 })).toBe(300);
  });
});
