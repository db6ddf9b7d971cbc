import { describe, expect, it } from 'vitest';
import { AppError } from '@commerce/common/errors';
import {
  applyChanges,
  centsToPrice,
  parseNewProduct,
  parseProductChanges,
  priceToCents,
  type ProductModel,
} from './product.js';

function badField(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError && error.code === 'BAD_USER_INPUT') return String(error.details?.['field']);
    throw error;
  }
  return undefined;
}

const valid = {
  name: 'Premium Smartphone',
  description: null,
  category: 'Electronics',
  price: 899.99,
  quantity: 50,
};

describe('priceToCents', () => {
  it('converts prices with up to two decimals to exact integer cents', () => {
    expect(priceToCents(899.99)).toBe(89999);
    expect(priceToCents(249.99)).toBe(24999);
    expect(priceToCents(179.99)).toBe(17999);
    expect(priceToCents(0.01)).toBe(1);
    expect(priceToCents(1.1)).toBe(110);
    expect(priceToCents(20)).toBe(2000);
  });

  it('rejects zero, negative, non-finite and sub-cent prices, naming the field', () => {
    for (const price of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1.001, 0.005, 0.1 + 0.2]) {
      expect(badField(() => priceToCents(price))).toBe('price');
    }
    expect(badField(() => priceToCents(1e300))).toBe('price');
  });

  it('round-trips through centsToPrice', () => {
    for (const price of [899.99, 249.99, 0.07, 12.3, 100])
      expect(centsToPrice(priceToCents(price))).toBe(price);
  });
});

describe('parseNewProduct', () => {
  it('trims text, defaults reorderThreshold to 5 and keeps a null description', () => {
    expect(parseNewProduct({ ...valid, name: '  Premium Smartphone ' })).toEqual({
      name: 'Premium Smartphone',
      description: null,
      category: 'Electronics',
      priceCents: 89999,
      quantity: 50,
      reorderThreshold: 5,
    });
    expect(parseNewProduct({ ...valid, reorderThreshold: 10, description: '  ' }).reorderThreshold).toBe(10);
    expect(parseNewProduct({ ...valid, description: '  ' }).description).toBeNull();
  });

  it('names the bad field', () => {
    expect(badField(() => parseNewProduct({ ...valid, name: ' ' }))).toBe('name');
    expect(badField(() => parseNewProduct({ ...valid, category: '' }))).toBe('category');
    expect(badField(() => parseNewProduct({ ...valid, price: 0 }))).toBe('price');
    expect(badField(() => parseNewProduct({ ...valid, quantity: -1 }))).toBe('quantity');
    expect(badField(() => parseNewProduct({ ...valid, quantity: 1.5 }))).toBe('quantity');
    expect(badField(() => parseNewProduct({ ...valid, reorderThreshold: -1 }))).toBe('reorderThreshold');
    expect(badField(() => parseNewProduct({ ...valid, name: 'x'.repeat(201) }))).toBe('name');
  });

  it('accepts zero quantity and zero threshold', () => {
    expect(parseNewProduct({ ...valid, quantity: 0, reorderThreshold: 0 })).toMatchObject({
      quantity: 0,
      reorderThreshold: 0,
    });
  });
});

describe('parseProductChanges', () => {
  it('keeps only the fields sent, null description clears it', () => {
    expect(parseProductChanges({ price: 10.5 })).toEqual({ priceCents: 1050 });
    expect(parseProductChanges({ description: null, name: ' New ' })).toEqual({
      description: null,
      name: 'New',
    });
    expect(parseProductChanges({})).toEqual({});
  });

  it('refuses null or empty required fields', () => {
    expect(badField(() => parseProductChanges({ name: null }))).toBe('name');
    expect(badField(() => parseProductChanges({ category: ' ' }))).toBe('category');
    expect(badField(() => parseProductChanges({ price: null }))).toBe('price');
    expect(badField(() => parseProductChanges({ price: 1.234 }))).toBe('price');
  });
});

describe('applyChanges', () => {
  const product: ProductModel = {
    id: 'p1',
    name: 'Watch',
    description: null,
    category: 'Wearables',
    priceCents: 17999,
    createdAt: new Date('2024-01-01T00:00:00.000Z'),
    updatedAt: new Date('2024-01-02T00:00:00.000Z'),
    deletedAt: null,
  };

  it('returns undefined when nothing changes', () => {
    expect(applyChanges(product, {}, new Date())).toBeUndefined();
    expect(applyChanges(product, { name: 'Watch', priceCents: 17999 }, new Date())).toBeUndefined();
  });

  it('returns the new state with a strictly later updatedAt', () => {
    const sameInstant = new Date(product.updatedAt);
    const next = applyChanges(product, { priceCents: 15999 }, sameInstant);
    expect(next).toMatchObject({ priceCents: 15999, name: 'Watch', createdAt: product.createdAt });
    expect(next?.updatedAt.getTime()).toBe(product.updatedAt.getTime() + 1);
  });
});
