import { describe, expect, it } from 'vitest';
import {
  cancelAction,
  decideReservation,
  mergeLines,
  statusChangeAction,
  type Reservation,
} from './reservation.js';

const stock = (entries: Record<string, number>): Map<string, { productId: string; available: number }> =>
  new Map(Object.entries(entries).map(([productId, available]) => [productId, { productId, available }]));

const reservation = (status: Reservation['status']): Reservation => ({
  orderId: 'o1',
  status,
  items: [{ productId: 'p1', quantity: 1 }],
  updatedAt: new Date(0),
});

describe('decideReservation', () => {
  it('reserves every line when all products have enough available', () => {
    const decision = decideReservation(
      [
        { productId: 'p2', quantity: 2 },
        { productId: 'p1', quantity: 5 },
      ],
      stock({ p1: 5, p2: 3 }),
    );
    expect(decision).toEqual({
      kind: 'reserve',
      allocations: [
        { stock: { productId: 'p1', available: 5 }, quantity: 5 },
        { stock: { productId: 'p2', available: 3 }, quantity: 2 },
      ],
    });
  });

  it('rejects the whole order when one line is short, naming only that line', () => {
    const decision = decideReservation(
      [
        { productId: 'p1', quantity: 1 },
        { productId: 'p2', quantity: 4 },
      ],
      stock({ p1: 10, p2: 3 }),
    );
    expect(decision.kind).toBe('reject');
    if (decision.kind !== 'reject') return;
    expect(decision.shortages).toEqual([{ productId: 'p2', requested: 4, available: 3 }]);
    expect(decision.reason).toContain('Insufficient stock');
  });

  it('rejects an unknown product with 0 available', () => {
    const decision = decideReservation([{ productId: 'ghost', quantity: 1 }], stock({}));
    expect(decision).toMatchObject({
      kind: 'reject',
      shortages: [{ productId: 'ghost', requested: 1, available: 0 }],
    });
    if (decision.kind === 'reject') expect(decision.reason).toContain('Unknown product ghost');
  });

  it('sums repeated lines of one product before checking', () => {
    const lines = [
      { productId: 'p1', quantity: 2 },
      { productId: 'p1', quantity: 2 },
    ];
    expect(decideReservation(lines, stock({ p1: 3 }))).toMatchObject({
      kind: 'reject',
      shortages: [{ productId: 'p1', requested: 4, available: 3 }],
    });
    expect(decideReservation(lines, stock({ p1: 4 }))).toMatchObject({
      kind: 'reserve',
      allocations: [{ quantity: 4 }],
    });
  });

  it('reserves exactly what is available', () => {
    expect(decideReservation([{ productId: 'p1', quantity: 3 }], stock({ p1: 3 })).kind).toBe('reserve');
  });
});

describe('mergeLines', () => {
  it('returns one line per product in code-point order (the lock order)', () => {
    expect(
      mergeLines([
        { productId: 'b', quantity: 1 },
        { productId: 'B', quantity: 1 },
        { productId: 'a', quantity: 2 },
        { productId: 'b', quantity: 3 },
      ]),
    ).toEqual([
      { productId: 'B', quantity: 1 },
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 4 },
    ]);
  });
});

describe('cancelAction', () => {
  it('releases a held reservation', () => expect(cancelAction(reservation('RESERVED'))).toBe('release'));
  it('records a cancel that arrives before the order', () =>
    expect(cancelAction(undefined)).toBe('record-early-cancel'));
  it.each(['FAILED', 'RELEASED', 'CONSUMED', 'CANCELLED_EARLY'] as const)(
    'ignores a %s reservation',
    (status) => expect(cancelAction(reservation(status))).toBe('ignore'),
  );
});

describe('statusChangeAction', () => {
  it('consumes a held reservation when the order ships or is delivered', () => {
    expect(statusChangeAction('SHIPPED', reservation('RESERVED'))).toBe('consume');
    expect(statusChangeAction('DELIVERED', reservation('RESERVED'))).toBe('consume');
  });
  it('does nothing once consumed, or for other statuses', () => {
    expect(statusChangeAction('DELIVERED', reservation('CONSUMED'))).toBe('ignore');
    expect(statusChangeAction('PAID', reservation('RESERVED'))).toBe('ignore');
    expect(statusChangeAction('SHIPPED', undefined)).toBe('ignore');
  });
});
