import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * inventory_item.version: 1 when a row is created, +1 on every change of it (stock.updated carries
 * it). Existing rows start at 1. The same statements run on PostgreSQL and on the embedded SQLite.
 */
export class InventoryItemVersion1795754954408 implements MigrationInterface {
  readonly name = 'InventoryItemVersion1795754954408';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE inventory_item
        ADD COLUMN version integer NOT NULL DEFAULT 1
        CONSTRAINT inventory_item_version_positive CHECK (version >= 1)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE inventory_item DROP COLUMN version`);
  }
}
