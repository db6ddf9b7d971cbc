import { randomUUID } from 'node:crypto';
import { DocumentDatabase, DocumentOutboxSource } from '@commerce/common/embedded';
import {
  outgoingEvent,
  type OutboxRecord,
  type OutboxSource,
  type OutgoingEvent,
} from '@commerce/common/events';
import { MongoOutboxSource } from '@commerce/common/mongo';
import { MongoClient } from 'mongodb';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createMongoDatabase } from '../../../../test/harness/servers.js';
import type { Order } from '../domain/order.js';
import type { CatalogReader, CatalogWriter, OrderStore } from '../domain/ports.js';
import { EmbeddedCatalogStore } from './embedded/catalog-store.js';
import { EmbeddedOrderStore } from './embedded/order-store.js';
import { catalogCollection, MongoCatalogStore } from './mongo/catalog-store.js';
import { ensureOrdersIndexes } from './mongo/indexes.js';
import { MongoOrderStore, ordersCollection } from './mongo/order-store.js';
import { maxProcessedEventIds } from './mongo/processed-events.js';

interface Subject {
  readonly orders: OrderStore;
  readonly catalog: CatalogReader & CatalogWriter;
  readonly outbox: OutboxSource;
}

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

let mongo: { client: MongoClient; dbName: string } | undefined;
async function mongoSubject(): Promise<Subject> {
  if (!mongo) {
    const database = await createMongoDatabase('orders_contract');
    const client = await new MongoClient(database.url).connect();
    closers.push(
      () => database.drop(),
      () => client.close(),
    );
    mongo = { client, dbName: database.dbName };
  }
  const db = mongo.client.db(mongo.dbName);
  await Promise.all([
    db.collection(ordersCollection).deleteMany({}),
    db.collection(catalogCollection).deleteMany({}),
  ]);
  await ensureOrdersIndexes(db);
  return {
    orders: new MongoOrderStore(db),
    catalog: new MongoCatalogStore(db),
    outbox: new MongoOutboxSource(db, ordersCollection),
  };
}

function embeddedSubject(): Promise<Subject> {
  const database = DocumentDatabase.open();
  return Promise.resolve({
    orders: new EmbeddedOrderStore(database),
    catalog: new EmbeddedCatalogStore(database),
    outbox: new DocumentOutboxSource(database.collection(ordersCollection)),
  });
}

const at = (minute: number): Date => new Date(Date.UTC(2025, 0, 1, 0, minute));

function order(userId: string, minute: number, fields: Partial<Order> = {}): Order {
  return {
    id: randomUUID(),
    userId,
    items: [{ productId: 'p1', productName: 'Phone', quantity: 2, unitPriceCents: 1000 }],
    totalCents: 2000,
    status: 'PENDING',
    rejectionReason: null,
    shippingAddress: {
      line1: '1 Street',
      line2: null,
      city: 'City',
      state: 'ST',
      postalCode: '1',
      country: 'C',
    },
    createdAt: at(minute),
    updatedAt: at(minute),
    ...fields,
  };
}

const statusEvent = (o: Order): OutgoingEvent =>
  outgoingEvent(
    'order.status_changed',
    o.id,
    {
      orderId: o.id,
      userId: o.userId,
      items: [{ productId: 'p1', quantity: 2 }],
      previousStatus: 'PENDING',
      status: 'PAID',
    },
    { source: 'test', correlationId: randomUUID() },
  );

async function drain(outbox: OutboxSource): Promise<OutboxRecord[]> {
  const published: OutboxRecord[] = [];
  await outbox.claim(100, (records) => {
    published.push(...records);
    return Promise.resolve(records);
  });
  await outbox.release?.();
  return published;
}

const ref = (minute: number, eventId: string = randomUUID()) => ({ eventId, occurredAt: at(minute) });

describe.each([
  ['MongoDB (FerretDB)', mongoSubject],
  ['embedded documents', embeddedSubject],
])('orders stores contract: %s', (_name, open) => {
  let subject: Subject;

  beforeEach(async () => {
    subject = await open();
  });

  it('stores orders with their events and lists them newest first, per user or all', async () => {
    const [a1, a2, b1] = [order('a', 1), order('a', 3), order('b', 2)];
    for (const item of [a1, a2, b1]) await subject.orders.insert(item, [statusEvent(item)]);
    expect(await subject.orders.findByIds([a1.id, 'unknown'])).toEqual([a1]);
    expect((await subject.orders.findByUserIds(['a'])).map((o) => o.id)).toEqual([a2.id, a1.id]);
    expect((await subject.orders.findAll()).map((o) => o.id)).toEqual([a2.id, b1.id, a1.id]);
    expect((await drain(subject.outbox)).map((record) => record.key).sort()).toEqual(
      [a1.id, a2.id, b1.id].sort(),
    );
  });

  it('changes a status only from the status read, with its events, once per causing event', async () => {
    const placed = order('a', 1);
    await subject.orders.insert(placed, []);
    const change = {
      orderId: placed.id,
      from: 'PENDING',
      to: 'PAID',
      at: at(2),
      events: [statusEvent(placed)],
    } as const;
    expect(await subject.orders.changeStatus(change)).toEqual({
      ...placed,
      status: 'PAID',
      updatedAt: at(2),
    });
    expect(await subject.orders.changeStatus(change)).toBeUndefined();
    expect(await subject.orders.changeStatus({ ...change, orderId: 'unknown' })).toBeUndefined();

    const other = order('a', 3);
    await subject.orders.insert(other, []);
    const rejection = {
      orderId: other.id,
      from: 'PENDING',
      to: 'REJECTED',
      at: at(4),
      rejectionReason: 'out of stock',
      events: [statusEvent(other)],
      causedByEventId: 'failure-1',
    } as const;
    expect(await subject.orders.changeStatus(rejection)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'out of stock',
    });
    expect(
      await subject.orders.changeStatus({ ...rejection, from: 'REJECTED', to: 'CANCELLED' }),
    ).toBeUndefined();
    expect(await drain(subject.outbox)).toHaveLength(2);
  });

  it('keeps the catalog from product and stock events: newest wins, deletion is final, each event once', async () => {
    const { catalog } = subject;
    expect(
      await catalog.updateStock(ref(1), { productId: 'p1', available: 5, reserved: 0, updatedAt: at(1) }),
    ).toBe(true);
    expect(await catalog.findByIds(['p1'])).toEqual([]);
    const created = ref(2, 'created-1');
    expect(await catalog.upsertProduct(created, { productId: 'p1', name: 'Phone', priceCents: 1000 })).toBe(
      true,
    );
    expect(await catalog.upsertProduct(created, { productId: 'p1', name: 'Again', priceCents: 1 })).toBe(
      false,
    );
    expect(await catalog.upsertProduct(ref(5), { productId: 'p1', name: 'Phone 2', priceCents: 1200 })).toBe(
      true,
    );
    expect(await catalog.upsertProduct(ref(3), { productId: 'p1', name: 'Stale', priceCents: 1 })).toBe(
      false,
    );
    expect(
      await catalog.updateStock(ref(6), { productId: 'p1', available: 4, reserved: 1, updatedAt: at(0) }),
    ).toBe(false);
    expect(await catalog.findByIds(['p1', 'p2'])).toEqual([
      { productId: 'p1', name: 'Phone 2', priceCents: 1200, deleted: false, available: 5, reserved: 0 },
    ]);
    expect(await catalog.markDeleted(ref(4), 'p1')).toBe(true);
    expect(await catalog.upsertProduct(ref(9), { productId: 'p1', name: 'Back?', priceCents: 1 })).toBe(true);
    expect(await catalog.findByIds(['p1'])).toMatchObject([{ name: 'Back?', deleted: true }]);
  });

  it('remembers the newest processed event ids of a document, up to the bound', async () => {
    const { catalog } = subject;
    for (let n = 0; n <= maxProcessedEventIds; n += 1) {
      expect(await catalog.markDeleted(ref(n, `event-${n}`), 'p9')).toBe(true);
    }
    expect(await catalog.markDeleted(ref(0, `event-${maxProcessedEventIds}`), 'p9')).toBe(false);
    // The oldest id fell out of the bounded list: a redelivery that late would apply again.
    expect(await catalog.markDeleted(ref(0, 'event-0'), 'p9')).toBe(true);
  });
});
