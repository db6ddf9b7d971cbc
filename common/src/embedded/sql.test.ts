import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { createEnvelope } from '../events/envelope.js';
import type { OutboxRecord } from '../events/outbox-relay.js';
import { enqueueEvents, OutboxEventEntity } from '../typeorm/outbox.js';
import { markProcessed, ProcessedEventEntity } from '../typeorm/processed-events.js';
import { lockDataDir } from './data-dir-lock.js';
import { createEmbeddedSqlDataSource, embeddedOutboxTablesSql, exclusive } from './sql.js';
import { EmbeddedSqlOutboxSource } from './sql-outbox.js';

class Tables1700000000000 implements MigrationInterface {
  readonly name = 'Tables1700000000000';
  async up(runner: QueryRunner): Promise<void> {
    for (const statement of embeddedOutboxTablesSql) await runner.query(statement);
    await runner.query('CREATE TABLE counter (id integer PRIMARY KEY, value integer NOT NULL)');
    await runner.query('INSERT INTO counter VALUES (1, 0)');
  }
  async down(): Promise<void> {}
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-sql-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function open(file?: string): Promise<DataSource> {
  const dataSource = createEmbeddedSqlDataSource({
    file,
    entities: [OutboxEventEntity, ProcessedEventEntity],
    migrations: [Tables1700000000000],
  });
  await dataSource.initialize();
  cleanups.push(() => (dataSource.isInitialized ? dataSource.destroy() : undefined));
  return dataSource;
}

const event = (productId: string = randomUUID()) => ({
  topic: 'product.deleted' as const,
  key: productId,
  envelope: createEnvelope('product.deleted', { productId }, { source: 'test', correlationId: randomUUID() }),
});

const counterValue = async (dataSource: DataSource): Promise<unknown> =>
  (await dataSource.query<{ value: unknown }[]>('SELECT value FROM counter'))[0]?.value;

describe('createEmbeddedSqlDataSource', () => {
  it('keeps committed writes across a restart: write, close, reopen, read', async () => {
    const file = join(tempDir(), 'data', 'store.sqlite');
    const first = await open(file);
    await exclusive(first, () =>
      first.transaction(async (manager) => {
        await enqueueEvents(manager, [event('p1')]);
        await manager.query('UPDATE counter SET value = 7');
      }),
    );
    await first.destroy();
    expect(existsSync(file)).toBe(true);

    const reopened = await open(file);
    expect(await counterValue(reopened)).toBe(7);
    const rows = await reopened.getRepository(OutboxEventEntity).find();
    expect(rows.map((row) => row.key)).toEqual(['p1']);
    expect(rows[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('does not keep a rolled-back transaction', async () => {
    const file = join(tempDir(), 'store.sqlite');
    const first = await open(file);
    await expect(
      exclusive(first, () =>
        first.transaction(async (manager) => {
          await manager.query('UPDATE counter SET value = 99');
          throw new Error('abort');
        }),
      ),
    ).rejects.toThrow('abort');
    await first.destroy();
    expect(await counterValue(await open(file))).toBe(0);
  });
});

describe('exclusive', () => {
  it('runs transactions on the one connection one at a time: no lost update', async () => {
    const dataSource = await open();
    const increment = () =>
      exclusive(dataSource, () =>
        dataSource.transaction(async (manager) => {
          const rows = await manager.query<{ value: number }[]>('SELECT value FROM counter');
          await new Promise((resolve) => setTimeout(resolve, 2));
          await manager.query('UPDATE counter SET value = ?', [(rows[0]?.value ?? 0) + 1]);
        }),
      );
    await Promise.all(Array.from({ length: 10 }, increment));
    expect(await counterValue(dataSource)).toBe(10);
  });
});

describe('markProcessed on SQLite', () => {
  it('records an event once per consumer', async () => {
    const dataSource = await open();
    const mark = (consumer: string, id: string) =>
      exclusive(dataSource, () => dataSource.transaction((manager) => markProcessed(manager, consumer, id)));
    expect(await mark('inventory', 'e1')).toBe(true);
    expect(await mark('inventory', 'e1')).toBe(false);
    expect(await mark('orders', 'e1')).toBe(true);
  });
});

describe('EmbeddedSqlOutboxSource', () => {
  it('hands out unsent events in commit order, marks exactly the published ones sent', async () => {
    const dataSource = await open();
    const source = new EmbeddedSqlOutboxSource(dataSource);
    const events = [event('a'), event('b'), event('c')];
    await exclusive(dataSource, () => dataSource.transaction((manager) => enqueueEvents(manager, events)));
    let handed: readonly OutboxRecord[] = [];
    const claimed = await source.claim(10, (records) => {
      handed = records;
      return Promise.resolve(records.slice(0, 2));
    });
    expect(claimed).toBe(3);
    expect(handed.map((record) => record.key)).toEqual(['a', 'b', 'c']);
    expect(handed[0]?.envelope).toEqual(JSON.parse(JSON.stringify(events[0]?.envelope)));

    const rest: string[] = [];
    await source.claim(10, (records) => {
      rest.push(...records.map((record) => record.key));
      return Promise.resolve(records);
    });
    expect(rest).toEqual(['c']);
    expect(await source.claim(10, () => Promise.reject(new Error('nothing to publish')))).toBe(0);
  });
});

describe('lockDataDir', () => {
  it('lets one holder at a time use a folder, and takes over a lock left by a dead process', () => {
    const dir = join(tempDir(), 'data');
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(/in use by process/);
    lock.release();
    lockDataDir(dir).release();

    writeFileSync(join(dir, 'embedded.lock'), '999999999');
    const takenOver = lockDataDir(dir);
    takenOver.release();
  });
});
