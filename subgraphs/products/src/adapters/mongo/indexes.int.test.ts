import { MongoClient } from 'mongodb';
import { afterAll, expect, it } from 'vitest';
import { createMongoDatabase } from '../../../../../test/harness/servers.js';
import { ensureProductsIndexes } from './indexes.js';

const database = await createMongoDatabase('products_indexes');
const client = await new MongoClient(database.url).connect();

afterAll(async () => {
  await client.close();
  await database.drop();
});

it('ensureProductsIndexes can run again on a restart against the same database', async () => {
  const db = client.db(database.dbName);
  await ensureProductsIndexes(db);
  await ensureProductsIndexes(db);
  const names = (await db.collection('products').indexes()).map((index) => index.name);
  expect(names).toEqual(expect.arrayContaining(['deletedAt_category_priceCents', 'createdAt_desc_id_desc']));
});
