import { randomUUID } from 'node:crypto';
import type { OutgoingEvent, Topics } from '@commerce/common/events';
import { describe, expect, it } from 'vitest';
import type { InventoryStore, InventoryTransaction } from './ports.js';
import type { Reservation } from './reservation.js';
import { StockService } from './stock-service.js';
import type { StockItem } from './stock.js';

/** An in-memory store: enough to run the use cases (no rollback, no concurrency). */
class MemoryInventoryStore implements InventoryStore {
  readonly items = new Map<string, StockItem>();
  readonly outbox: OutgoingEvent[] = [];
  private readonly reservations = new Map<string, Reservation>();
  private readonly processed = new Set<string>();
  private readonly tx: InventoryTransaction = {
    lockOrder: () => Promise.resolve(),
    lockItems: (ids) =>
      Promise.resolve(
        new Map(ids.flatMap((id) => this.items.get(id) ?? []).map((item) => [item.productId, item])),
      ),
    insertItem: (item) => {
      if (this.items.has(item.productId)) return Promise.resolve(false);
      this.items.set(item.productId, item);
      return Promise.resolve(true);
    },
    updateItems: (changes) => {
      for (const { item } of changes) {
        // As the SQL adapters do: the stored version moves on by one, and must land on the change's.
        const stored = this.items.get(item.productId);
        if (stored?.version !== item.version - 1) throw new Error(`${item.productId} changed concurrently`);
        this.items.set(item.productId, item);
      }
      return Promise.resolve();
    },
    findReservation: (orderId) => Promise.resolve(this.reservations.get(orderId)),
    saveReservation: (reservation) =>
      Promise.resolve(void this.reservations.set(reservation.orderId, reservation)),
    markProcessed: (consumer, eventId) => {
      const key = `${consumer}/${eventId}`;
      const first = !this.processed.has(key);
      this.processed.add(key);
      return Promise.resolve(first);
    },
    enqueue: (events) => Promise.resolve(void this.outbox.push(...events)),
  };

  transaction<T>(work: (tx: InventoryTransaction) => Promise<T>): Promise<T> {
    return work(this.tx);
  }
  findItems(ids: readonly string[]): Promise<readonly StockItem[]> {
    return Promise.resolve(ids.flatMap((id) => this.items.get(id) ?? []));
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
}

const origin = { source: 'test', correlationId: randomUUID() };
let eventIds = 0;
const handled = () => ({ consumer: 'inventory', eventId: `e${(eventIds += 1)}` });

describe('StockService versions', () => {
  it('every change of a row moves its version on by one, and its stock.updated carries it', async () => {
    const store = new MemoryInventoryStore();
    const service = new StockService(store, { notify: () => undefined });
    const order = (orderId: string, quantity: number) => ({
      orderId,
      items: [{ productId: 'p1', quantity }],
    });

    await service.createStock({ productId: 'p1', quantity: 10, reorderThreshold: 2 }, origin, handled());
    await service.reserve(order('o1', 2), origin, handled());
    await service.adjustStock({ productId: 'p1', delta: 5 }, origin);
    await service.release(order('o1', 2), origin, handled());
    await service.reserve(order('o2', 1), origin, handled());
    await service.applyStatusChange({ ...order('o2', 1), status: 'SHIPPED' }, origin, handled());
    await service.reserve(order('o3', 1), origin, handled());
    await service.applyStatusChange({ ...order('o3', 1), status: 'EXPIRED' }, origin, handled());
    // Neither a refused reservation, an ignored status, a redelivery nor a second creation changes the row.
    await service.reserve(order('o4', 1000), origin, handled());
    await service.applyStatusChange({ ...order('o3', 1), status: 'PAID' }, origin, handled());
    const again = handled();
    await service.reserve(order('o5', 1), origin, again);
    await service.reserve(order('o5', 1), origin, again);
    await service.createStock({ productId: 'p1', quantity: 3, reorderThreshold: 2 }, origin, handled());

    const updates = store.outbox
      .filter((event) => event.topic === 'stock.updated')
      .map((event) => event.envelope.payload as Topics['stock.updated']);
    expect(updates.map(({ reason, version }) => [reason, version])).toEqual([
      ['CREATED', 1],
      ['RESERVED', 2],
      ['ADJUSTED', 3],
      ['RELEASED', 4],
      ['RESERVED', 5],
      ['CONSUMED', 6],
      ['RESERVED', 7],
      ['RELEASED', 8],
      ['RESERVED', 9],
    ]);
    expect(store.items.get('p1')).toMatchObject({ available: 13, reserved: 1, version: 9 });
  });
});
