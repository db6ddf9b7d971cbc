import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stockChangeEvents } from './events.js';
import { changeStock, newStockItem } from './stock.js';

const now = new Date('2026-01-01T00:00:00Z');
const origin = { source: 'inventory', correlationId: randomUUID() };

describe('stockChangeEvents', () => {
  it('stock.updated and inventory.low_stock carry the row’s version after the change', () => {
    const created = newStockItem('p1', 10, 4, now);
    const reserved = changeStock(created.item, { available: -8, reserved: 8 }, now);
    const events = stockChangeEvents(reserved, 'RESERVED', 'o1', origin);
    expect(events.map(({ topic, envelope }) => [topic, envelope.payload])).toEqual([
      ['stock.updated', expect.objectContaining({ available: 2, reserved: 8, version: 2 })],
      ['inventory.low_stock', expect.objectContaining({ priority: 'MEDIUM', version: 2 })],
    ]);
    expect(stockChangeEvents(created, 'CREATED', null, origin)[0]?.envelope.payload).toMatchObject({
      version: 1,
    });
  });
});
