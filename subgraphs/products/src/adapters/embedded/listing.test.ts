import { describe, expect, it } from 'vitest';
import type { ProductModel } from '../../domain/product.js';
import { compareNewestFirst, matchesListing } from './listing.js';

const base: ProductModel = {
  id: 'p5',
  name: 'Smart Watch',
  description: 'Tracks [steps]',
  category: 'Wearables',
  priceCents: 17999,
  createdAt: new Date('2025-01-01T00:00:00.000Z'),
  updatedAt: new Date('2025-01-01T00:00:00.000Z'),
  deletedAt: null,
};

describe('matchesListing', () => {
  it('never includes deleted products', () => {
    expect(matchesListing(base, {})).toBe(true);
    expect(matchesListing({ ...base, deletedAt: new Date() }, {})).toBe(false);
  });

  it('matches the category exactly and the price range inclusively', () => {
    expect(matchesListing(base, { category: 'Wearables' })).toBe(true);
    expect(matchesListing(base, { category: 'wearables' })).toBe(false);
    expect(matchesListing(base, { minPriceCents: 17999, maxPriceCents: 17999 })).toBe(true);
    expect(matchesListing(base, { minPriceCents: 18000 })).toBe(false);
    expect(matchesListing(base, { maxPriceCents: 17998 })).toBe(false);
  });

  it('searches name or description as literal, case-insensitive text', () => {
    expect(matchesListing(base, { search: 'WATCH' })).toBe(true);
    expect(matchesListing(base, { search: '[steps]' })).toBe(true);
    expect(matchesListing(base, { search: '.*' })).toBe(false);
    expect(matchesListing({ ...base, description: null }, { search: 'steps' })).toBe(false);
  });

  it('starts strictly after the cursor in (createdAt desc, id desc) order', () => {
    const cursor = { createdAt: base.createdAt, id: 'p5' };
    expect(matchesListing(base, {}, cursor)).toBe(false);
    expect(matchesListing({ ...base, id: 'p4' }, {}, cursor)).toBe(true);
    expect(matchesListing({ ...base, id: 'p6' }, {}, cursor)).toBe(false);
    expect(
      matchesListing({ ...base, id: 'p9', createdAt: new Date('2024-12-31T00:00:00.000Z') }, {}, cursor),
    ).toBe(true);
  });
});

describe('compareNewestFirst', () => {
  it('sorts by createdAt desc, then id desc', () => {
    const at = (iso: string, id: string) => ({ createdAt: new Date(iso), id });
    const sorted = [at('2025-01-01', 'a'), at('2025-01-02', 'a'), at('2025-01-01', 'b')].sort(
      compareNewestFirst,
    );
    expect(sorted.map((p) => `${p.createdAt.toISOString().slice(0, 10)}/${p.id}`)).toEqual([
      '2025-01-02/a',
      '2025-01-01/b',
      '2025-01-01/a',
    ]);
  });
});
