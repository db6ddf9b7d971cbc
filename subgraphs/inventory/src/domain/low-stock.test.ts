import { describe, expect, it } from 'vitest';
import { isLowStock, lowStockLevel, lowStockTransition, type LowStockLevel } from './low-stock.js';

describe('lowStockLevel', () => {
  it.each([
    [11, null],
    [10, 'MEDIUM'],
    [5, 'MEDIUM'],
    [4, 'HIGH'],
    [1, 'HIGH'],
    [0, 'CRITICAL'],
  ] as const)('with threshold 10, %i available is %s', (available, level) => {
    expect(lowStockLevel(available, 10)).toBe(level);
  });

  it('is CRITICAL only at zero when the threshold is zero', () => {
    expect(lowStockLevel(0, 0)).toBe('CRITICAL');
    expect(lowStockLevel(1, 0)).toBeNull();
  });

  it('uses half the threshold exactly for HIGH with odd thresholds', () => {
    expect(lowStockLevel(3, 7)).toBe('HIGH');
    expect(lowStockLevel(4, 7)).toBe('MEDIUM');
  });
});

describe('isLowStock', () => {
  it('is true at or below the reorder threshold', () => {
    expect(isLowStock(5, 5)).toBe(true);
    expect(isLowStock(6, 5)).toBe(false);
  });
});

describe('lowStockTransition', () => {
  /** Walks stock through `levels` from a fresh item and returns the alerts raised. */
  function alertsAlong(availabilities: readonly number[], threshold: number): (LowStockLevel | null)[] {
    let stored: LowStockLevel | null = null;
    return availabilities.map((available) => {
      const { level, alert } = lowStockTransition(stored, available, threshold);
      stored = level;
      return alert;
    });
  }

  it('alerts once per crossing into a more severe level while stock falls', () => {
    expect(alertsAlong([20, 10, 9, 4, 2, 0, 0], 10)).toEqual([
      null,
      'MEDIUM',
      null,
      'HIGH',
      null,
      'CRITICAL',
      null,
    ]);
  });

  it('alerts for the level reached when a fall skips levels', () => {
    expect(alertsAlong([20, 0], 10)).toEqual([null, 'CRITICAL']);
    expect(alertsAlong([20, 3], 10)).toEqual([null, 'HIGH']);
  });

  it('does not alert while stock recovers, and the stored level follows it down', () => {
    expect(lowStockTransition('CRITICAL', 3, 10)).toEqual({ level: 'HIGH', alert: null });
    expect(lowStockTransition('HIGH', 8, 10)).toEqual({ level: 'MEDIUM', alert: null });
    expect(lowStockTransition('MEDIUM', 50, 10)).toEqual({ level: null, alert: null });
  });

  it('alerts again when stock falls after a recovery', () => {
    expect(alertsAlong([0, 20, 0], 10)).toEqual(['CRITICAL', null, 'CRITICAL']);
    expect(alertsAlong([4, 6, 4], 10)).toEqual(['HIGH', null, 'HIGH']);
  });

  it('does not alert on changes within the same level', () => {
    expect(lowStockTransition('MEDIUM', 7, 10)).toEqual({ level: 'MEDIUM', alert: null });
  });
});
