import { EntitySchema } from 'typeorm';
import type { LowStockLevel } from '../../domain/low-stock.js';
import type { ReservationStatus } from '../../domain/reservation.js';

/** A row of inventory_item. */
export interface InventoryItemRow {
  productId: string;
  available: number;
  reserved: number;
  reorderThreshold: number;
  lowStockLevel: LowStockLevel | null;
  updatedAt: Date;
  version: number;
}

/** A row of reservation. */
export interface ReservationRow {
  orderId: string;
  status: ReservationStatus;
  // jsonb: checked when read.
  items: unknown;
  updatedAt: Date;
}

// Column types valid on PostgreSQL and SQLite alike (Date: timestamptz in the PostgreSQL migration,
// datetime in the embedded one); each migration defines the real table.

/** One product's stock; CHECK constraints (see the migration) keep both counts at or above zero. */
export const InventoryItemEntity = new EntitySchema<InventoryItemRow>({
  name: 'InventoryItem',
  tableName: 'inventory_item',
  columns: {
    productId: { name: 'product_id', type: 'varchar', length: 100, primary: true },
    available: { type: 'int' },
    reserved: { type: 'int' },
    reorderThreshold: { name: 'reorder_threshold', type: 'int' },
    lowStockLevel: { name: 'low_stock_level', type: 'varchar', length: 8, nullable: true },
    updatedAt: { name: 'updated_at', type: Date },
    version: { type: 'int' },
  },
});

/** What inventory holds for an order. */
export const ReservationEntity = new EntitySchema<ReservationRow>({
  name: 'Reservation',
  tableName: 'reservation',
  columns: {
    orderId: { name: 'order_id', type: 'varchar', length: 100, primary: true },
    status: { type: 'varchar', length: 20 },
    items: { type: 'jsonb' },
    updatedAt: { name: 'updated_at', type: Date },
  },
});
