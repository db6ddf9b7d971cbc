import { isLowStock, lowStockTransition, type LowStockLevel } from './low-stock.js';

/** One product's stock position. */
export interface StockItem {
  readonly productId: string;
  readonly available: number;
  readonly reserved: number;
  readonly reorderThreshold: number;
  /** The level last seen, so that an alert fires once per crossing. */
  readonly lowStockLevel: LowStockLevel | null;
  readonly updatedAt: Date;
  /** 1 when created, +1 on every change (stock.updated carries it): orders a product's changes. */
  readonly version: number;
}

/** Why stock moved (the `reason` of stock.updated). */
export type StockReason = 'CREATED' | 'RESERVED' | 'RELEASED' | 'CONSUMED' | 'ADJUSTED';

/** A stock item after a change, the change itself, and the low-stock alert it raises, if any. */
export interface StockChange {
  readonly item: StockItem;
  readonly delta: { readonly available: number; readonly reserved: number };
  readonly alert: LowStockLevel | null;
}

/** A new product's stock row; it alerts at once when it starts low. */
export function newStockItem(
  productId: string,
  quantity: number,
  reorderThreshold: number,
  now: Date,
): StockChange {
  const { level, alert } = lowStockTransition(null, quantity, reorderThreshold);
  return {
    item: {
      productId,
      available: quantity,
      reserved: 0,
      reorderThreshold,
      lowStockLevel: level,
      updatedAt: now,
      version: 1,
    },
    delta: { available: quantity, reserved: 0 },
    alert,
  };
}

/**
 * Moves stock by the given deltas, one version on. Callers check the rules first (enough available,
 * enough reserved); a negative result here is a bug, so it throws rather than store it.
 */
export function changeStock(
  item: StockItem,
  delta: { readonly available?: number; readonly reserved?: number },
  now: Date,
): StockChange {
  const moved = { available: delta.available ?? 0, reserved: delta.reserved ?? 0 };
  const available = item.available + moved.available;
  const reserved = item.reserved + moved.reserved;
  if (available < 0 || reserved < 0) {
    throw new RangeError(
      `Stock of ${item.productId} would become negative (${available} available, ${reserved} reserved)`,
    );
  }
  const { level, alert } = lowStockTransition(item.lowStockLevel, available, item.reorderThreshold);
  return {
    item: { ...item, available, reserved, lowStockLevel: level, updatedAt: now, version: item.version + 1 },
    delta: moved,
    alert,
  };
}

/** The `lowStock` field: available at or below the reorder threshold. */
export function stockIsLow(item: StockItem): boolean {
  return isLowStock(item.available, item.reorderThreshold);
}
