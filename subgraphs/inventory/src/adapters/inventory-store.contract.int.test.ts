import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedSqlOutboxSource } from '@commerce/common/embedded';
import {
  createEnvelope,
  type OutboxRecord,
  type OutboxSource,
  type OutgoingEvent,
} from '@commerce/common/events';
import { TypeormOutboxSource } from '@commerce/common/typeorm';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../../test/harness/servers.js';
import { changeStock, newStockItem } from '../domain/stock.js';
import { createEmbeddedInventoryDataSource, createInventoryDataSource } from './typeorm/data-source.js';
import { TypeormInventoryStore } from './typeorm/inventory-store.js';

interface Subject {
  readonly dataSource: DataSource;
  readonly outbox: OutboxSource;
  close(): Promise<void>;
}

async function postgres(): Promise<Subject> {
  const database = await createPostgresDatabase('inventory_contract');
  const dataSource = await createInventoryDataSource(database.url).initialize();
  return {
    dataSource,
    outbox: new TypeormOutboxSource(dataSource),
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

async function embedded(): Promise<Subject> {
  const dataSource = await createEmbeddedInventoryDataSource().initialize();
  return { dataSource, outbox: new EmbeddedSqlOutboxSource(dataSource), close: () => dataSource.destroy() };
}

const now = new Date('2025-01-01T00:00:00.000Z');
const stockEvent = (productId: string): OutgoingEvent => ({
  topic: 'product.deleted',
  key: productId,
  envelope: createEnvelope('product.deleted', { productId }, { source: 'test', correlationId: randomUUID() }),
});

describe.each([
  ['PostgreSQL', postgres],
  ['embedded SQLite', embedded],
])('InventoryStore contract: %s', (_name, open) => {
  let subject: Subject;
  let store: TypeormInventoryStore;

  beforeAll(async () => {
    subject = await open();
    store = new TypeormInventoryStore(subject.dataSource);
  });
  afterAll(async () => {
    await subject?.close();
  });

  it('inserts a product’s stock once and reads it back', async () => {
    const { item } = newStockItem('p-insert', 50, 5, now);
    expect(await store.transaction((tx) => tx.insertItem(item))).toBe(true);
    expect(await store.transaction((tx) => tx.insertItem({ ...item, available: 1 }))).toBe(false);
    expect(await store.findItems(['p-insert', 'unknown'])).toEqual([item]);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('applies deltas, refuses a count below zero and rolls the whole transaction back', async () => {
    const { item } = newStockItem('p-delta', 10, 2, now);
    await store.transaction((tx) => tx.insertItem(item));
    const reserve = changeStock(item, { available: -3, reserved: 3 }, new Date(now.getTime() + 1000));
    await store.transaction(async (tx) => {
      expect([...(await tx.lockItems(['p-delta', 'unknown'])).keys()]).toEqual(['p-delta']);
      await tx.updateItems([reserve]);
    });
    expect(await store.findItems(['p-delta'])).toEqual([reserve.item]);

    const oversell = {
      ...reserve,
      item: { ...reserve.item, available: -1 },
      delta: { available: -11, reserved: 0 },
    };
    await expect(
      store.transaction(async (tx) => {
        await tx.enqueue([stockEvent('p-delta')]);
        await tx.updateItems([oversell]);
      }),
    ).rejects.toThrow();
    const stale = { ...reserve, item: { ...reserve.item, available: 99 } };
    await expect(store.transaction((tx) => tx.updateItems([stale]))).rejects.toThrow(/changed concurrently/);
    expect(await store.findItems(['p-delta'])).toEqual([reserve.item]);
  });

  it('serializes concurrent read-modify-write transactions on one item: no lost update', async () => {
    const { item } = newStockItem('p-race', 20, 0, now);
    await store.transaction((tx) => tx.insertItem(item));
    const reserveOne = () =>
      store.transaction(async (tx) => {
        const current = (await tx.lockItems(['p-race'])).get('p-race');
        if (!current) throw new Error('missing');
        await tx.updateItems([changeStock(current, { available: -1, reserved: 1 }, new Date())]);
      });
    await Promise.all(Array.from({ length: 8 }, reserveOne));
    expect(await store.findItems(['p-race'])).toMatchObject([{ available: 12, reserved: 8 }]);
  });

  it('saves and replaces an order’s reservation, and records processed events once', async () => {
    const reservation = {
      orderId: 'o-1',
      status: 'RESERVED' as const,
      items: [{ productId: 'p-insert', quantity: 2 }],
      updatedAt: now,
    };
    await store.transaction(async (tx) => {
      await tx.lockOrder('o-1');
      await tx.saveReservation(reservation);
    });
    await store.transaction((tx) => tx.saveReservation({ ...reservation, status: 'RELEASED' }));
    expect(await store.transaction((tx) => tx.findReservation('o-1'))).toEqual({
      ...reservation,
      status: 'RELEASED',
    });
    expect(await store.transaction((tx) => tx.findReservation('o-2'))).toBeUndefined();
    expect(await store.transaction((tx) => tx.markProcessed('inventory', 'e-1'))).toBe(true);
    expect(await store.transaction((tx) => tx.markProcessed('inventory', 'e-1'))).toBe(false);
  });

  it('hands committed events to the relay in commit order, never rolled-back ones', async () => {
    await store.transaction((tx) => tx.enqueue([stockEvent('a'), stockEvent('b')]));
    await store.transaction((tx) => tx.enqueue([stockEvent('c')]));
    const published: OutboxRecord[] = [];
    await subject.outbox.claim(100, (records) => {
      published.push(...records);
      return Promise.resolve(records);
    });
    expect(published.map((record) => record.key)).toEqual(['a', 'b', 'c']);
    expect(await subject.outbox.claim(100, () => Promise.reject(new Error('nothing left')))).toBe(0);
  });
});

describe('embedded inventory database', () => {
  it('keeps stock and reservations across a restart: write, close, reopen, read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inventory-embedded-'));
    try {
      const file = join(dir, 'inventory.sqlite');
      const first = await createEmbeddedInventoryDataSource(file).initialize();
      const { item } = newStockItem('p-1', 7, 2, now);
      await new TypeormInventoryStore(first).transaction(async (tx) => {
        await tx.insertItem(item);
        await tx.saveReservation({
          orderId: 'o-1',
          status: 'RESERVED',
          items: [{ productId: 'p-1', quantity: 1 }],
          updatedAt: now,
        });
      });
      await first.destroy();

      const reopened = await createEmbeddedInventoryDataSource(file).initialize();
      const store = new TypeormInventoryStore(reopened);
      expect(await store.findItems(['p-1'])).toEqual([item]);
      expect(await store.transaction((tx) => tx.findReservation('o-1'))).toMatchObject({
        status: 'RESERVED',
      });
      await reopened.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
