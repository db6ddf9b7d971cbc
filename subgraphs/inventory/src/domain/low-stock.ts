/** How urgently a product needs restocking; `null` when stock is above its reorder threshold. */
export type LowStockLevel = 'MEDIUM' | 'HIGH' | 'CRITICAL';

const severity: Readonly<Record<LowStockLevel, number>> = { MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

/** True when available stock is at or below the reorder threshold (the `lowStock` field). */
export function isLowStock(available: number, reorderThreshold: number): boolean {
  return available <= reorderThreshold;
}

/**
 * The level of a stock position: CRITICAL at 0 available, HIGH below half the threshold,
 * MEDIUM at or below it, otherwise none.
 */
export function lowStockLevel(available: number, reorderThreshold: number): LowStockLevel | null {
  if (available <= 0) return 'CRITICAL';
  if (available < reorderThreshold / 2) return 'HIGH';
  if (available <= reorderThreshold) return 'MEDIUM';
  return null;
}

/** The level to store after a change, and the alert to raise (only when crossing into a more severe level). */
export interface LowStockTransition {
  readonly level: LowStockLevel | null;
  readonly alert: LowStockLevel | null;
}

/**
 * Compares the new level with the stored one. Falling into a more severe level raises an alert;
 * rising lets the stored level follow down without one, so that a later fall alerts again.
 */
export function lowStockTransition(
  stored: LowStockLevel | null,
  available: number,
  reorderThreshold: number,
): LowStockTransition {
  const level = lowStockLevel(available, reorderThreshold);
  const moreSevere = level !== null && (stored === null || severity[level] > severity[stored]);
  return { level, alert: moreSevere ? level : null };
}
