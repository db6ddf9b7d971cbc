import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '@commerce/common/errors';
import type { OutgoingEvent } from '@commerce/common/events';
import { Catalog } from './catalog.js';
import type { ProductStore } from './ports.js';
import type { ProductModel } from './product.js';

const origin = { source: 'products', correlationId: randomUUID() };
const product: ProductModel = {
  id: 'p1',
  name: 'Watch',
  description: null,
  category: 'Wearables',
  priceCents: 17999,
  createdAt: new Date('2024-01-01T00:00:00.000Z'),
  updatedAt: new Date('2024-01-01T00:00:00.000Z'),
  deletedAt: null,
};

/** A store whose conditional writes fail `conflicts` times before succeeding. */
function storeWith(current: ProductModel | undefined, conflicts: number) {
  const written: OutgoingEvent[] = [];
  let reads = 0;
  const store: ProductStore = {
    insert: () => Promise.resolve(),
    replace: (_expected, _next, events) => {
      if (conflicts > 0) {
        conflicts -= 1;
        return Promise.resolve(false);
      }
      written.push(...events);
      return Promise.resolve(true);
    },
    markDeleted: () => Promise.resolve(false),
    findByIds: () => {
      reads += 1;
      return Promise.resolve(current ? [current] : []);
    },
    list: () => Promise.resolve({ items: [], hasNextPage: false }),
    count: () => Promise.resolve(0),
  };
  return { store, written, reads: () => reads };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error instanceof AppError ? error.code : 'other'),
  );
}

describe('Catalog.update', () => {
  it('re-reads and retries when another write got in between', async () => {
    let notified = 0;
    const { store, written, reads } = storeWith(product, 2);
    const catalog = new Catalog(store, { notify: () => void (notified += 1) });
    const next = await catalog.update('p1', { priceCents: 15999 }, origin);
    expect(next.priceCents).toBe(15999);
    expect(reads()).toBe(3);
    expect(written.map((event) => event.envelope.payload)).toEqual([
      { productId: 'p1', name: 'Watch', description: null, category: 'Wearables', price: 159.99 },
    ]);
    expect(notified).toBe(1);
  });

  it('gives up with CONFLICT when the product keeps changing', async () => {
    const catalog = new Catalog(storeWith(product, 10).store, { notify: () => undefined });
    expect(await codeOf(catalog.update('p1', { name: 'New' }, origin))).toBe('CONFLICT');
  });

  it('writes and publishes nothing when the changes change nothing', async () => {
    const { store, written } = storeWith(product, 0);
    const catalog = new Catalog(store, { notify: () => undefined });
    expect(await catalog.update('p1', { name: 'Watch' }, origin)).toBe(product);
    expect(written).toEqual([]);
  });

  it('answers NOT_FOUND for unknown and deleted products', async () => {
    const notify = () => undefined;
    expect(
      await codeOf(
        new Catalog(storeWith(undefined, 0).store, { notify }).update('p1', { name: 'X' }, origin),
      ),
    ).toBe('NOT_FOUND');
    const deleted = { ...product, deletedAt: new Date() };
    expect(
      await codeOf(new Catalog(storeWith(deleted, 0).store, { notify }).update('p1', { name: 'X' }, origin)),
    ).toBe('NOT_FOUND');
    expect(await codeOf(new Catalog(storeWith(product, 0).store, { notify }).delete('p1', origin))).toBe(
      'NOT_FOUND',
    );
  });
});
