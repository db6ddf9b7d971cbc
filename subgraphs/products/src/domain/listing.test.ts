import { describe, expect, it } from 'vitest';
import { AppError } from '@commerce/common/errors';
import { decodeCursor, encodeCursor, parsePageRequest, parseProductQuery } from './listing.js';

function badField(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError && error.code === 'BAD_USER_INPUT') return String(error.details?.['field']);
    throw error;
  }
  return undefined;
}

describe('cursors', () => {
  const position = {
    createdAt: new Date('2024-05-06T07:08:09.123Z'),
    id: '0b5c6a1e-4a3f-4c55-9d0e-2b1f3c4d5e6f',
  };

  it('round-trip as opaque base64url text', () => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(position.id);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it('reject anything that is not a cursor with BAD_USER_INPUT on after', () => {
    const encode = (text: string) => Buffer.from(text).toString('base64url');
    for (const bad of [
      '',
      'not a cursor!',
      encode('no separator'),
      encode('yesterday|abc'),
      encode('2024-05-06T07:08:09.123Z|'),
      encode('2024-05-06|abc'),
    ]) {
      expect(badField(() => decodeCursor(bad))).toBe('after');
    }
  });
});

describe('parsePageRequest', () => {
  it('defaults first to 20 and accepts 1..100', () => {
    expect(parsePageRequest(undefined, undefined)).toEqual({ first: 20 });
    expect(parsePageRequest(null, null)).toEqual({ first: 20 });
    expect(parsePageRequest(1, undefined).first).toBe(1);
    expect(parsePageRequest(100, undefined).first).toBe(100);
  });

  it('rejects first outside 1..100 and bad cursors', () => {
    expect(badField(() => parsePageRequest(0, undefined))).toBe('first');
    expect(badField(() => parsePageRequest(101, undefined))).toBe('first');
    expect(badField(() => parsePageRequest(-5, undefined))).toBe('first');
    expect(badField(() => parsePageRequest(10, 'garbage!'))).toBe('after');
  });

  it('decodes after into a position', () => {
    const after = { createdAt: new Date('2024-01-01T00:00:00.000Z'), id: 'x' };
    expect(parsePageRequest(5, encodeCursor(after))).toEqual({ first: 5, after });
  });
});

describe('parseProductQuery', () => {
  it('converts price bounds to inclusive cents', () => {
    expect(parseProductQuery({ minPrice: 100, maxPrice: 300 })).toEqual({
      minPriceCents: 10000,
      maxPriceCents: 30000,
    });
    expect(parseProductQuery({ minPrice: 899.99, maxPrice: 899.99 })).toEqual({
      minPriceCents: 89999,
      maxPriceCents: 89999,
    });
    expect(parseProductQuery({ minPrice: 0 })).toEqual({ minPriceCents: 0 });
  });

  it('rounds sub-cent bounds inwards', () => {
    expect(parseProductQuery({ minPrice: 10.001 })).toEqual({ minPriceCents: 1001 });
    expect(parseProductQuery({ maxPrice: 10.009 })).toEqual({ maxPriceCents: 1000 });
  });

  it('ignores blank text and trims the rest', () => {
    expect(parseProductQuery(null)).toEqual({});
    expect(parseProductQuery({ category: '  ', search: '' })).toEqual({});
    expect(parseProductQuery({ category: ' Audio ', search: ' watch ' })).toEqual({
      category: 'Audio',
      search: 'watch',
    });
  });

  it('rejects negative bounds and min above max', () => {
    expect(badField(() => parseProductQuery({ minPrice: -1 }))).toBe('minPrice');
    expect(badField(() => parseProductQuery({ maxPrice: -0.5 }))).toBe('maxPrice');
    expect(badField(() => parseProductQuery({ minPrice: 300, maxPrice: 100 }))).toBe('minPrice');
    expect(badField(() => parseProductQuery({ search: 'x'.repeat(201) }))).toBe('search');
  });
});
