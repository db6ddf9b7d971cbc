import { randomUUID } from 'node:crypto';
import { DocumentDatabase, DocumentOutboxSource } from '@commerce/common/embedded';
import {
  outgoingEvent,
  type OutboxRecord,
  type OutboxSource,
  type OutgoingEvent,
} from '@commerce/common/events';
import { MongoOutboxSource } from '@commerce/common/mongo';
import { MongoClient, type Document } from 'mongodb';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createMongoDatabase } from '../../../../test/harness/servers.js';
import { withFailedPayment, withStatus } from '../domain/lifecycle.js';
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
  /** Stores an order document as it is, bypassing the store (e.g. one written by an older version). */
  insertDocument(document: Document & { _id: string }): Promise<void>;
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
    insertDocument: async (document) => {
      await db.collection<Document & { _id: string }>(ordersCollection).insertOne(document);
    },
  };
}

function embeddedSubject(): Promise<Subject> {
  const database = DocumentDatabase.open();
  return Promise.resolve({
    orders: new EmbeddedOrderStore(database),
    catalog: new EmbeddedCatalogStore(database),
    outbox: new DocumentOutboxSource(database.collection(ordersCollection)),
    insertDocument: (document) => {
      database.collection<{ _id: string }>(ordersCollection).insert(document);
      return Promise.resolve();
    },
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
    version: 1,
    history: [{ status: 'PENDING', at: at(minute), reason: 'placed' }],
    payments: [],
    paymentDueAt: at(minute + 15),
    paymentClaimedUntil: null,
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
      status: 'CONFIRMED',
      reason: 'stock reserved',
      version: 2,
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

  it('writes a change only while the order is as it was read (version and payment claim), with its events', async () => {
    const placed = order('a', 1);
    await subject.orders.insert(placed, []);
    const confirmed = withStatus(placed, 'CONFIRMED', at(2), 'stock reserved');
    const write = { before: placed, after: confirmed, events: [statusEvent(placed)] };
    expect(await subject.orders.update(write)).toEqual(confirmed);
    expect(await subject.orders.findByIds([placed.id])).toEqual([confirmed]);
    // The same change again, or any other decided on the old read, loses: the version moved on.
    expect(await subject.orders.update(write)).toBeUndefined();
    expect(
      await subject.orders.update({ ...write, after: withStatus(placed, 'CANCELLED', at(2), 'x') }),
    ).toBeUndefined();
    expect(await subject.orders.update({ ...write, before: { ...placed, id: 'unknown' } })).toBeUndefined();

    // A payment claim is part of what a change is conditional on, though it keeps the version.
    const claimed = { ...confirmed, paymentClaimedUntil: at(3) };
    expect(await subject.orders.update({ before: confirmed, after: claimed, events: [] })).toEqual(claimed);
    const cancelled = withStatus(confirmed, 'CANCELLED', at(3), 'cancelled by the customer');
    expect(await subject.orders.update({ before: confirmed, after: cancelled, events: [] })).toBeUndefined();
    const payment = {
      id: 'ch_1',
      amountCents: 2000,
      method: 'CARD',
      status: 'FAILED',
      failureReason: 'Your card was declined.',
      createdAt: at(3),
    } as const;
    const declined = withFailedPayment(claimed, payment, at(3));
    expect(await subject.orders.update({ before: claimed, after: declined, events: [] })).toEqual(declined);
    expect((await subject.orders.findByIds([placed.id]))[0]).toMatchObject({
      status: 'CONFIRMED',
      version: 3,
      paymentClaimedUntil: null,
      payments: [payment],
      history: [
        { status: 'PENDING', at: at(1), reason: 'placed' },
        { status: 'CONFIRMED', at: at(2), reason: 'stock reserved' },
      ],
    });
    expect(await drain(subject.outbox)).toHaveLength(1);
  });

  it('applies a change caused by a consumed event once, and records a late event that changed nothing', async () => {
    const placed = order('a', 1);
    await subject.orders.insert(placed, []);
    const rejected = withStatus(placed, 'REJECTED', at(2), 'out of stock');
    const write = { before: placed, after: rejected, events: [statusEvent(placed)], causedByEventId: 'f-1' };
    expect(await subject.orders.update(write)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'out of stock',
    });
    expect(await subject.orders.update({ ...write, before: rejected })).toBeUndefined();
    expect(await subject.orders.markProcessed(placed.id, 'late-1')).toBe(true);
    expect(await subject.orders.markProcessed(placed.id, 'late-1')).toBe(false);
    expect(await subject.orders.markProcessed('unknown', 'late-2')).toBe(false);
    expect(await drain(subject.outbox)).toHaveLength(1);
  });

  it('counts a user’s open orders and finds the overdue ones, most overdue first', async () => {
    const due = (minute: number) => ({ paymentDueAt: at(minute) });
    const orders = [
      order('a', 1, due(10)),
      order('a', 2, { ...due(5), status: 'CONFIRMED' }),
      order('a', 3, { ...due(1), status: 'PAID' }),
      order('a', 4, { ...due(30), status: 'CONFIRMED' }),
      order('b', 5, due(7)),
      order('b', 6, { ...due(2), status: 'EXPIRED' }),
      order('b', 7, { paymentDueAt: null }),
    ];
    for (const each of orders) await subject.orders.insert(each, []);
    expect(await subject.orders.countOpen('a')).toBe(3);
    expect(await subject.orders.countOpen('b')).toBe(2);
    expect(await subject.orders.countOpen('c')).toBe(0);
    const overdue = await subject.orders.findOverdue(at(10), 10);
    expect(overdue.map((each) => each.id)).toEqual([orders[1]!.id, orders[4]!.id, orders[0]!.id]);
    expect((await subject.orders.findOverdue(at(10), 2)).map((each) => each.id)).toEqual([
      orders[1]!.id,
      orders[4]!.id,
    ]);
  });

  it('reads and changes an order stored before versions, history, payments and expiry existed', async () => {
    const legacy = order('a', 1);
    const { id, items, shippingAddress, totalCents, userId, createdAt } = legacy;
    await subject.insertDocument({
      _id: id,
      userId,
      items: [...items],
      totalCents,
      status: 'PENDING',
      rejectionReason: null,
      shippingAddress: { ...shippingAddress },
      createdAt,
      updatedAt: createdAt,
      pendingEvents: [],
      processedEventIds: [],
    });
    const [read] = await subject.orders.findByIds([id]);
    expect(read).toEqual({ ...legacy, history: [], paymentDueAt: null });
    if (!read) throw new Error('not read');
    const cancelled = withStatus(read, 'CANCELLED', at(2), 'cancelled by the customer');
    expect(await subject.orders.update({ before: read, after: cancelled, events: [] })).toEqual(cancelled);
    expect(await subject.orders.findOverdue(at(100), 10)).toEqual([]);
  });

  it('keeps the catalog from product and stock events: newest wins, deletion is final, each event once', async () => {
    const { catalog } = subject;
    expect(
      await catalog.updateStock(ref(1), { productId: 'p1', available: 5, reserved: 0, version: 3 }),
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
    // Stock goes by the row's version, whatever the event's time: version 2 after 3 is older.
    expect(
      await catalog.updateStock(ref(6), { productId: 'p1', available: 4, reserved: 1, version: 2 }),
    ).toBe(false);
    expect(
      await catalog.updateStock(ref(7), { productId: 'p1', available: 5, reserved: 0, version: 3 }),
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
