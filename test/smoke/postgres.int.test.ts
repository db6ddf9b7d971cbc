import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DataSource, EntitySchema } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from '../harness/servers.js';

interface SmokeItem {
  id: number;
  sku: string;
  quantity: number;
}

const SmokeItemSchema = new EntitySchema<SmokeItem>({
  name: 'SmokeItem',
  tableName: 'smoke_items',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    sku: { type: String, unique: true },
    quantity: { type: 'int' },
  },
});

class CreateSmokeItems1700000000000 implements MigrationInterface {
  readonly name = 'CreateSmokeItems1700000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE smoke_items (
        id serial PRIMARY KEY,
        sku varchar(64) NOT NULL UNIQUE,
        quantity int NOT NULL CHECK (quantity >= 0)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE smoke_items');
  }
}

describe('PostgreSQL smoke (TypeORM with EntitySchema and migrations)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createPostgresDatabase('smoke');
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      entities: [SmokeItemSchema],
      migrations: [CreateSmokeItems1700000000000],
      migrationsRun: true,
      synchronize: false,
      logging: false,
    });
    await dataSource.initialize();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  it('ran the migration exactly once', async () => {
    const applied = await dataSource.query<{ name: string }[]>('SELECT name FROM migrations');
    expect(applied.map((row) => row.name)).toEqual(['CreateSmokeItems1700000000000']);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('writes and reads inside a committed transaction', async () => {
    await dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(SmokeItemSchema);
      await repo.insert([
        { sku: 'sku-1', quantity: 5 },
        { sku: 'sku-2', quantity: 7 },
      ]);
      await repo.increment({ sku: 'sku-1' }, 'quantity', 3);
      expect(await repo.count()).toBe(2);
    });

    const rows = await dataSource.getRepository(SmokeItemSchema).find({ order: { sku: 'ASC' } });
    expect(rows.map(({ sku, quantity }) => ({ sku, quantity }))).toEqual([
      { sku: 'sku-1', quantity: 8 },
      { sku: 'sku-2', quantity: 7 },
    ]);
  });

  it('rolls back every write of a failed transaction', async () => {
    const before = await dataSource.getRepository(SmokeItemSchema).count();
    const failing = dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(SmokeItemSchema);
      await repo.insert({ sku: 'sku-rolled-back', quantity: 1 });
      await repo.update({ sku: 'sku-2' }, { quantity: 100 });
      await repo.insert({ sku: 'sku-1', quantity: 1 }); // unique violation: aborts the transaction
    });

    await expect(failing).rejects.toMatchObject({ driverError: { code: '23505' } });
    const repo = dataSource.getRepository(SmokeItemSchema);
    expect(await repo.count()).toBe(before);
    expect(await repo.findOneBy({ sku: 'sku-rolled-back' })).toBeNull();
    expect((await repo.findOneByOrFail({ sku: 'sku-2' })).quantity).toBe(7);
  });

  it('enforces the CHECK constraint from the migration', async () => {
    const repo = dataSource.getRepository(SmokeItemSchema);
    await expect(repo.insert({ sku: 'sku-negative', quantity: -1 })).rejects.toMatchObject({
      driverError: { code: '23514' },
    });
  });
});
