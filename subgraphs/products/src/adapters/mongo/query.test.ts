import { describe, expect, it } from 'vitest';
import { buildProductFilter, escapeRegex } from './query.js';

describe('escapeRegex', () => {
  it('makes every regex metacharacter literal', () => {
    const text = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o';
    const escaped = escapeRegex(text);
    expect(new RegExp(escaped).test(text)).toBe(true);
    expect(new RegExp(`^${escaped}$`).test('aXb*c+d?e^f$g{h}i(j)k|l[m]n\\o')).toBe(false);
    expect(escapeRegex('(x)')).toBe('\\(x\\)');
  });
});

describe('buildProductFilter', () => {
  it('always excludes deleted products', () => {
    expect(buildProductFilter({})).toEqual({ deletedAt: null });
  });

  it('matches the category exactly and prices in inclusive cents', () => {
    expect(buildProductFilter({ category: 'Audio', minPriceCents: 10000, maxPriceCents: 30000 })).toEqual({
      deletedAt: null,
      category: 'Audio',
      priceCents: { $gte: 10000, $lte: 30000 },
    });
    expect(buildProductFilter({ maxPriceCents: 500 })).toEqual({
      deletedAt: null,
      priceCents: { $lte: 500 },
    });
  });

  it('searches name or description case-insensitively with the text escaped', () => {
    const pattern = { $regex: 'c\\+\\+', $options: 'i' };
    expect(buildProductFilter({ search: 'c++' })).toEqual({
      deletedAt: null,
      $and: [{ $or: [{ name: pattern }, { description: pattern }] }],
    });
  });

  it('starts strictly after the cursor position in (createdAt desc, id desc) order', () => {
    const createdAt = new Date('2024-01-01T00:00:00.000Z');
    expect(buildProductFilter({ search: 'x' }, { createdAt, id: 'p9' }).$and).toEqual([
      { $or: [{ name: { $regex: 'x', $options: 'i' } }, { description: { $regex: 'x', $options: 'i' } }] },
      { $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: 'p9' } }] },
    ]);
  });
});
