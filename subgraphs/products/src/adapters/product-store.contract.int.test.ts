import { randomUUID } from 'node:crypto';
import { DocumentDatabase, DocumentOutboxSource } from '@commerce/common/embedded';
import { AppError } from '@commerce/common/errors';
import { outgoingEvent, type OutboxRecord, type OutboxSource } from '@commerce/common/events';
import { MongoOutboxSource } from '@commerce/common/mongo';
import { MongoClient } from 'mongodb';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createMongoDatabase } from '../../../../test/harness/servers.js';
import type { ProductStore } from '../domain/ports.js';
import type { ProductModel } from '../domain/product.js';
import { EmbeddedProductStore } from './embedded/product-store.js';
import { productsCollection } from './mongo/documents.js';
import { ensureProductsIndexes } from './mongo/indexes.js';
import { MongoProductStore } from './mongo/product-store.js';

/** A fresh, empty store with the relay's view of its outbox. */
interface Subject {
  readonly store: ProductStore;
  readonly outbox: OutboxSource;
}

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

let mongo: { client: MongoClient; dbName: string } | undefined;
async function mongoSubject(): Promise<Subject> {
  if (!mongo) {
    const database = await createMongoDatabase('products_contract');
    const client = await new MongoClient(database.url).connect();
    closers.push(
      () => database.drop(),
      () => client.close(),
    );
    mongo = { client, dbName: database.dbName };
  }
  const db = mongo.client.db(mongo.dbName);
  await db.collection(productsCollection).deleteMany({});
  await ensureProductsIndexes(db);
  return { store: new MongoProductStore(db), outbox: new MongoOutboxSource(db, productsCollection) };
}

function embeddedSubject(): Promise<Subject> {
  const database = DocumentDatabase.open();
  return Promise.resolve({
    store: new EmbeddedProductStore(database),
    outbox: new DocumentOutboxSource(database.collection(productsCollection)),
  });
}

const at = (minute: number): Date => new Date(Date.UTC(2025, 0, 1, 0, minute));

function product(name: string, fields: Partial<ProductModel> = {}): ProductModel {
  return {
    id: randomUUID(),
    name,
    description: null,
    category: 'Electronics',
    priceCents: 1000,
    createdAt: at(0),
    updatedAt: at(0),
    deletedAt: null,
    ...fields,
  };
}

const deletedEvent = (productId: string) =>
  outgoingEvent('product.deleted', productId, { productId }, { source: 'test', correlationId: randomUUID() });

async function drain(outbox: OutboxSource): Promise<OutboxRecord[]> {
  const published: OutboxRecord[] = [];
  await outbox.claim(100, (records) => {
    published.push(...records);
    return Promise.resolve(records);
  });
  await outbox.release?.();
  return published;
}

describe.each([
  ['MongoDB (FerretDB)', mongoSubject],
  ['embedded documents', embeddedSubject],
])('ProductStore contract: %s', (_name, open) => {
  let store: ProductStore;
  let outbox: OutboxSource;

  beforeEach(async () => {
    ({ store, outbox } = await open());
  });

  it('stores a product with its events in one write; a second insert of the id is a CONFLICT', async () => {
    const phone = product('Phone', { description: 'A phone' });
    await store.insert(phone, [deletedEvent(phone.id)]);
    expect(await store.findByIds([phone.id, 'unknown'])).toEqual([phone]);
    const error: unknown = await store.insert(phone, []).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'CONFLICT' });
    expect((await drain(outbox)).map((record) => record.key)).toEqual([phone.id]);
    expect(await drain(outbox)).toEqual([]);
  });

  it('replaces only the version read, and only while not deleted', async () => {
    const phone = product('Phone');
    await store.insert(phone, []);
    const renamed = { ...phone, name: 'Renamed', priceCents: 2000, updatedAt: at(1) };
    expect(await store.replace(phone, renamed, [deletedEvent(phone.id)])).toBe(true);
    expect(await store.replace(phone, { ...phone, name: 'Stale', updatedAt: at(2) }, [])).toBe(false);
    expect(await store.findByIds([phone.id])).toEqual([renamed]);
    expect(await store.markDeleted(phone.id, at(3), [deletedEvent(phone.id)])).toBe(true);
    expect(await store.markDeleted(phone.id, at(4), [])).toBe(false);
    expect(await store.markDeleted('unknown', at(4), [])).toBe(false);
    expect(await store.replace({ ...renamed, updatedAt: at(3) }, { ...renamed, updatedAt: at(5) }, [])).toBe(
      false,
    );
    expect(await store.findByIds([phone.id])).toEqual([{ ...renamed, deletedAt: at(3), updatedAt: at(3) }]);
    expect(await drain(outbox)).toHaveLength(2);
  });

  it('lists live products newest first with filters, counts and pages strictly after the cursor', async () => {
    const products = [
      product('Premium Smartphone', { priceCents: 89999, createdAt: at(1) }),
      product('Wireless Headphones', { category: 'Audio', priceCents: 24999, createdAt: at(2) }),
      product('Smart Watch', {
        category: 'Wearables',
        priceCents: 17999,
        createdAt: at(3),
        description: 'Fits a WRIST',
      }),
      product('Cable (1.5m)', { priceCents: 999, createdAt: at(3) }),
      product('Old', { createdAt: at(4) }),
    ];
    for (const item of products) await store.insert(item, []);
    const old = products[4];
    if (old) await store.markDeleted(old.id, at(5), []);
    const names = async (query: Parameters<ProductStore['list']>[0]) =>
      (await store.list(query, { first: 10 })).items.map((item) => item.name);

    const sameTime = products
      .slice(2, 4)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .map((p) => p.name);
    expect(await names({})).toEqual([...sameTime, 'Wireless Headphones', 'Premium Smartphone']);
    expect(await names({ category: 'Electronics' })).toEqual(['Cable (1.5m)', 'Premium Smartphone']);
    expect(await names({ minPriceCents: 17999, maxPriceCents: 24999 })).toEqual([
      'Smart Watch',
      'Wireless Headphones',
    ]);
    expect(await names({ search: 'wrist' })).toEqual(['Smart Watch']);
    expect(await names({ search: '(1.5' })).toEqual(['Cable (1.5m)']);
    expect(await names({ search: 'SMART' })).toEqual(['Smart Watch', 'Premium Smartphone']);
    expect(await store.count({})).toBe(4);
    expect(await store.count({ category: 'Electronics' })).toBe(2);

    const first = await store.list({}, { first: 2 });
    expect(first.hasNextPage).toBe(true);
    const last = first.items.at(-1);
    if (!last) throw new Error('empty page');
    const second = await store.list({}, { first: 2, after: { createdAt: last.createdAt, id: last.id } });
    expect(second.hasNextPage).toBe(false);
    expect([...first.items, ...second.items].map((item) => item.name)).toEqual(await names({}));
  });
});
