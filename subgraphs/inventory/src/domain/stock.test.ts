import { describe, expect, it } from 'vitest';
import { changeStock, newStockItem, stockIsLow } from './stock.js';

const now = new Date('2026-01-01T00:00:00Z');

describe('newStockItem', () => {
  it('starts with everything available and alerts when it starts low', () => {
    expect(newStockItem('p1', 50, 5, now)).toMatchObject({
      item: {
        productId: 'p1',
        available: 50,
        reserved: 0,
        reorderThreshold: 5,
        lowStockLevel: null,
        version: 1,
      },
      alert: null,
    });
    expect(newStockItem('p2', 0, 5, now)).toMatchObject({
      item: { lowStockLevel: 'CRITICAL' },
      alert: 'CRITICAL',
    });
  });
});

describe('changeStock', () => {
  const item = newStockItem('p1', 10, 4, now).item;

  it('moves reserved stock out of available and records the delta', () => {
    const change = changeStock(item, { available: -3, reserved: 3 }, now);
    expect(change.item).toMatchObject({ available: 7, reserved: 3, lowStockLevel: null });
    expect(change.delta).toEqual({ available: -3, reserved: 3 });
    expect(change.alert).toBeNull();
  });

  it('raises the alert of the level the change crosses into', () => {
    expect(changeStock(item, { available: -7 }, now)).toMatchObject({
      item: { lowStockLevel: 'MEDIUM' },
      alert: 'MEDIUM',
    });
  });

  it('moves the version on by exactly one per change, from 1 at creation', () => {
    expect(item.version).toBe(1);
    const first = changeStock(item, { available: -1, reserved: 1 }, now).item;
    const second = changeStock(first, { reserved: -1 }, now).item;
    const third = changeStock(second, { available: 5 }, now).item;
    expect([first.version, second.version, third.version]).toEqual([2, 3, 4]);
  });

  it('refuses to produce negative stock', () => {
    expect(() => changeStock(item, { available: -11 }, now)).toThrow(RangeError);
    expect(() => changeStock(item, { reserved: -1 }, now)).toThrow(RangeError);
  });
});

describe('stockIsLow', () => {
  it('is true at or below the reorder threshold', () => {
    expect(stockIsLow({ ...newStockItem('p', 4, 4, now).item })).toBe(true);
    expect(stockIsLow({ ...newStockItem('p', 5, 4, now).item })).toBe(false);
  });
});
