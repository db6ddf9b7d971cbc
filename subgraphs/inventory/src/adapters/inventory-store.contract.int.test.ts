import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedSqlOutboxSource } from '@commerce/common/embedded';
import {
  createEnvelope,
  parseEnvelope,
  type OutboxRecord,
  type OutboxSource,
  type OutgoingEvent,
} from '@commerce/common/events';
import { OutboxEventEntity, TypeormOutboxSource } from '@commerce/common/typeorm';
import { createEmbeddedSqlDataSource } from '@commerce/common/embedded';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../../test/harness/servers.js';
import { StockService } from '../domain/stock-service.js';
import { changeStock, newStockItem } from '../domain/stock.js';
import { createEmbeddedInventoryDataSource, createInventoryDataSource } from './typeorm/data-source.js';
import { TypeormInventoryStore } from './typeorm/inventory-store.js';
import { InventoryInit1767225600000 } from './typeorm/migrations/1767225600000-InventoryInit.js';
import { InventoryInitEmbedded1767225600001 } from './typeorm/migrations/1767225600001-InventoryInitEmbedded.js';

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
    // A change decided on an old read (version 1, the row is at 2) lands on another version: refused.
    const staleVersion = {
      item: { ...reserve.item, version: 2 },
      delta: { available: 0, reserved: 0 },
      alert: null,
    };
    await expect(store.transaction((tx) => tx.updateItems([staleVersion]))).rejects.toThrow(
      /changed concurrently/,
    );
    expect(await store.findItems(['p-delta'])).toEqual([reserve.item]);
    expect(reserve.item.version).toBe(2);
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
    expect(await store.findItems(['p-race'])).toMatchObject([{ available: 12, reserved: 8, version: 9 }]);
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

  it('gives 50 concurrent reservations and adjustments of one row the versions 2..51, each once', async () => {
    const service = new StockService(store, { notify: () => undefined });
    const origin = () => ({ source: 'test', correlationId: randomUUID() });
    const handled = () => ({ consumer: 'inventory', eventId: randomUUID() });
    await service.createStock(
      { productId: 'p-versions', quantity: 100, reorderThreshold: 0 },
      origin(),
      handled(),
    );
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? service.reserve(
              { orderId: `o-versions-${i}`, items: [{ productId: 'p-versions', quantity: 1 }] },
              origin(),
              handled(),
            )
          : service.adjustStock({ productId: 'p-versions', delta: -1 }, origin()),
      ),
    );
    const rows = await subject.dataSource
      .getRepository(OutboxEventEntity)
      .findBy({ topic: 'stock.updated', key: 'p-versions' });
    const versions = rows.map(({ envelope }) => parseEnvelope('stock.updated', envelope).payload.version);
    expect(versions.toSorted((a, b) => a - b)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    expect(await store.findItems(['p-versions'])).toMatchObject([
      { available: 50, reserved: 25, version: 51 },
    ]);
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

describe('inventory_item.version migration', () => {
  const insertOldRow = `INSERT INTO inventory_item (product_id, available, reserved, reorder_threshold)
    VALUES ('p-old', 5, 1, 2)`;

  it('gives the rows of a PostgreSQL database from before versions version 1, then counts on', async () => {
    const database = await createPostgresDatabase('inventory_upgrade');
    try {
      const old = new DataSource({
        type: 'postgres',
        url: database.url,
        migrations: [InventoryInit1767225600000],
      });
      await old.initialize();
      await old.runMigrations();
      await old.query(insertOldRow);
      await old.destroy();
      const upgraded = await createInventoryDataSource(database.url).initialize();
      try {
        await expectUpgraded(new TypeormInventoryStore(upgraded));
      } finally {
        await upgraded.destroy();
      }
    } finally {
      await database.drop();
    }
  });

  it('does the same to an embedded database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inventory-upgrade-'));
    try {
      const file = join(dir, 'inventory.sqlite');
      const old = createEmbeddedSqlDataSource({
        file,
        entities: [],
        migrations: [InventoryInitEmbedded1767225600001],
      });
      await old.initialize();
      await old.query(insertOldRow);
      await old.destroy();
      const upgraded = await createEmbeddedInventoryDataSource(file).initialize();
      try {
        await expectUpgraded(new TypeormInventoryStore(upgraded));
      } finally {
        await upgraded.destroy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  async function expectUpgraded(store: TypeormInventoryStore): Promise<void> {
    const [before] = await store.findItems(['p-old']);
    expect(before).toMatchObject({ available: 5, reserved: 1, version: 1 });
    if (!before) throw new Error('the old row is missing');
    await store.transaction((tx) => tx.updateItems([changeStock(before, { available: -1 }, now)]));
    expect(await store.findItems(['p-old'])).toMatchObject([{ available: 4, version: 2 }]);
  }
});
