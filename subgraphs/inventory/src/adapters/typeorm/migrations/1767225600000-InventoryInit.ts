import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The inventory tables, and the outbox and processed-event tables of @commerce/common/typeorm. */
export class InventoryInit1767225600000 implements MigrationInterface {
  readonly name = 'InventoryInit1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inventory_item (
        product_id varchar(100) PRIMARY KEY,
        available integer NOT NULL,
        reserved integer NOT NULL DEFAULT 0,
        reorder_threshold integer NOT NULL,
        low_stock_level varchar(8) NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- The last line of defence against overselling, whatever the code above does.
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
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reservation_status_valid
          CHECK (status IN ('RESERVED', 'RELEASED', 'CONSUMED', 'FAILED', 'CANCELLED_EARLY'))
      )`);
    await queryRunner.query(`
      CREATE TABLE outbox_event (
        id bigserial PRIMARY KEY,
        topic varchar(200) NOT NULL,
        key varchar(200) NOT NULL,
        envelope text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz NULL
      )`);
    await queryRunner.query(`CREATE INDEX outbox_event_unsent ON outbox_event (sent_at, id)`);
    await queryRunner.query(`
      CREATE TABLE processed_event (
        event_id varchar(64) NOT NULL,
        consumer varchar(100) NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, consumer)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['processed_event', 'outbox_event', 'reservation', 'inventory_item']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
