import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from './order.js';
import { mergeLines, normalizeAddress, priceLines } from './place-order.js';

const product = (productId: string, over: Partial<CatalogProduct> = {}): CatalogProduct => ({
  productId,
  name: `Product ${productId}`,
  priceCents: 1000,
  deleted: false,
  available: null,
  reserved: null,
  ...over,
});
const catalogOf = (...products: CatalogProduct[]) => new Map(products.map((p) => [p.productId, p]));
const address = {
  line1: ' 1 Main St ',
  line2: '  ',
  city: 'Springfield',
  state: 'IL',
  postalCode: '62701',
  country: 'US',
};

describe('mergeLines', () => {
  it('merges lines of the same product, keeping first-seen order', () => {
    expect(
      mergeLines([
        { productId: 'a', quantity: 1 },
        { productId: 'b', quantity: 2 },
        { productId: 'a', quantity: 3 },
      ]),
    ).toEqual([
      { productId: 'a', quantity: 4 },
      { productId: 'b', quantity: 2 },
    ]);
  });

  it('rejects an order without items', () => {
    expect(() => mergeLines([])).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects quantity %s', (quantity) => {
    expect(() => mergeLines([{ productId: 'a', quantity }])).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
  });

  it('rejects an empty product id', () => {
    expect(() => mergeLines([{ productId: ' ', quantity: 1 }])).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
  });
});

describe('normalizeAddress', () => {
  it('trims fields and turns an empty line2 into null', () => {
    expect(normalizeAddress(address)).toEqual({ ...address, line1: '1 Main St', line2: null });
  });

  it.each(['line1', 'city', 'state', 'postalCode', 'country'] as const)(
    'rejects an empty %s, naming it',
    (field) => {
      expect(() => normalizeAddress({ ...address, [field]: '   ' })).toThrow(
        expect.objectContaining({
          code: 'BAD_USER_INPUT',
          message: expect.stringContaining(field) as string,
        }),
      );
    },
  );
});

describe('priceLines', () => {
  it('takes names and unit prices from the catalog', () => {
    const catalog = catalogOf(product('a', { name: 'Phone', priceCents: 24999 }));
    expect(priceLines([{ productId: 'a', quantity: 2 }], catalog)).toEqual([
      { productId: 'a', productName: 'Phone', quantity: 2, unitPriceCents: 24999 },
    ]);
  });

  it('rejects unknown and deleted products, naming their ids', () => {
    const catalog = catalogOf(product('a'), product('gone', { deleted: true }));
    const lines = [
      { productId: 'a', quantity: 1 },
      { productId: 'nope', quantity: 1 },
      { productId: 'gone', quantity: 1 },
    ];
    expect(() => priceLines(lines, catalog)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'Unknown products: nope, gone' }),
    );
  });

  it('refuses more than the known available stock', () => {
    const catalog = catalogOf(product('a', { available: 2 }));
    expect(() => priceLines([{ productId: 'a', quantity: 3 }], catalog)).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_STOCK' }),
    );
    expect(priceLines([{ productId: 'a', quantity: 2 }], catalog)).toHaveLength(1);
  });

  it('leaves the decision to inventory while the stock is unknown', () => {
    const catalog = catalogOf(product('a', { available: null }));
    expect(priceLines([{ productId: 'a', quantity: 1_000 }], catalog)).toHaveLength(1);
  });
});
