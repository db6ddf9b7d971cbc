import { describe, expect, it } from 'vitest';
import { fromCents, toCents, totalCents } from './money.js';

describe('money', () => {
  it('converts catalog prices to integer cents without float drift', () => {
    expect(toCents(249.99)).toBe(24999);
    expect(toCents(179.99)).toBe(17999);
    expect(toCents(0.1 + 0.2)).toBe(30);
    expect(toCents(19.999999999)).toBe(2000);
  });

  it('totals 1 x 249.99 + 2 x 179.99 exactly as 609.97', () => {
    const cents = totalCents([
      { quantity: 1, unitPriceCents: 24999 },
      { quantity: 2, unitPriceCents: 17999 },
    ]);
    expect(cents).toBe(60997);
    expect(fromCents(cents)).toBe(609.97);
  });

  it('totals an empty list as zero', () => {
    expect(totalCents([])).toBe(0);
  });
});
