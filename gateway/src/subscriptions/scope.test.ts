import { describe, expect, it } from 'vitest';
import { fanOutKey, scopeKey, scopeOf, stableJson } from './scope.js';

describe('scopeOf', () => {
  it('shares one scope among anonymous viewers, one among ADMINs, and one per customer', () => {
    expect(scopeKey(scopeOf(null))).toBe('anonymous');
    expect(scopeKey(scopeOf({ userId: 'a1', email: 'a@x', role: 'ADMIN' }))).toBe('role:ADMIN');
    expect(scopeKey(scopeOf({ userId: 'a2', email: 'b@x', role: 'ADMIN' }))).toBe('role:ADMIN');
    expect(scopeKey(scopeOf({ userId: 'c1', email: 'c@x', role: 'CUSTOMER' }))).toBe('user:c1');
  });
});

describe('fanOutKey', () => {
  const admin = scopeOf({ userId: 'a1', email: 'a@x', role: 'ADMIN' });

  it('is equal for equal variables in any key order', () => {
    expect(fanOutKey('op', { a: 1, b: { c: 2, d: 3 } }, admin)).toBe(
      fanOutKey('op', { b: { d: 3, c: 2 }, a: 1 }, admin),
    );
  });

  it('differs by operation, variables or scope', () => {
    const base = fanOutKey('op', { productId: 'p1' }, admin);
    expect(fanOutKey('other', { productId: 'p1' }, admin)).not.toBe(base);
    expect(fanOutKey('op', { productId: 'p2' }, admin)).not.toBe(base);
    expect(fanOutKey('op', { productId: 'p1' }, scopeOf(null))).not.toBe(base);
  });

  it('treats missing variables as empty', () => {
    expect(fanOutKey('op', undefined, admin)).toBe(fanOutKey('op', {}, admin));
  });
});

describe('stableJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(stableJson({ b: [{ y: 1, x: 2 }], a: null })).toBe('{"a":null,"b":[{"x":2,"y":1}]}');
  });
});
