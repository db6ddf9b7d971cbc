import { embeddedOutboxTablesSql, embeddedSqlNow as now } from '@commerce/common/embedded';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The embedded (SQLite) twin of InventoryInit1767225600000: the same tables and CHECK constraints
 * (still the last line of defence against overselling); timestamptz becomes datetime.
 */
export class InventoryInitEmbedded1767225600001 implements MigrationInterface {
  readonly name = 'InventoryInitEmbedded1767225600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inventory_item (
        product_id varchar(100) PRIMARY KEY,
        available integer NOT NULL,
        reserved integer NOT NULL DEFAULT 0,
        reorder_threshold integer NOT NULL,
        low_stock_level varchar(8) NULL,
        updated_at datetime NOT NULL DEFAULT ${now},
        CONSTRAINT inventory_item_available_non_negative CHECK (available >= 0),
        CONSTRAINT inventory_item_reserved_non_negative CHECK (reserved >= 0),
        CONSTRAINT inventory_item_reorder_threshold_non_negative CHECK (reorder_threshold >= 0),
        CONSTRAINT inventory_item_low_stock_level_valid CHECK (low_stock_level IN ('MEDIUM', 'HIGH', 'CRITICAL'))
      )`);
    await queryRunner.query(`
      CREATE TABLE reservation (
        order_id varchar(100) PRIMARY KEY,
        status varchar(20) NOT NULL,
        items jsonb NOT NULL,
        updated_at datetime NOT NULL DEFAULT ${now},
        CONSTRAINT reservation_status_valid
          CHECK (status IN ('RESERVED', 'RELEASED', 'CONSUMED', 'FAILED', 'CANCELLED_EARLY'))
      )`);
    for (const statement of embeddedOutboxTablesSql) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['processed_event', 'outbox_event', 'reservation', 'inventory_item']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
