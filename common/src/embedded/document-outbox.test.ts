import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../events/envelope.js';
import type { OutboxRecord } from '../events/outbox-relay.js';
import { pendingEvent, type PendingEvent } from '../mongo/outbox.js';
import { DocumentOutboxSource, type DocumentWithPendingEvents } from './document-outbox.js';
import { DocumentDatabase } from './documents.js';

const deleted = (productId: string): PendingEvent =>
  pendingEvent(
    'product.deleted',
    productId,
    createEnvelope('product.deleted', { productId }, { source: 'test', correlationId: randomUUID() }),
  );

function setUp() {
  const collection = DocumentDatabase.open().collection<DocumentWithPendingEvents>('things');
  return { collection, source: new DocumentOutboxSource(collection) };
}

describe('DocumentOutboxSource', () => {
  it('hands out each document’s events in write order and removes those published', async () => {
    const { collection, source } = setUp();
    const [a1, a2, b1] = [deleted('a'), deleted('a'), deleted('b')];
    collection.insert({ _id: 'a', pendingEvents: [a1, a2] });
    collection.insert({ _id: 'b', pendingEvents: [b1] });
    collection.insert({ _id: 'c', pendingEvents: [] });
    const seen: OutboxRecord[] = [];
    const claimed = await source.claim(10, (records) => {
      seen.push(...records);
      return Promise.resolve(records);
    });
    expect(claimed).toBe(3);
    expect(seen.map((record) => record.id)).toEqual([a1.eventId, a2.eventId, b1.eventId]);
    expect(seen[2]).toMatchObject({ topic: 'product.deleted', key: 'b', envelope: b1.envelope });
    expect(collection.find().flatMap((document) => document.pendingEvents ?? [])).toEqual([]);
    expect(await source.claim(10, () => Promise.reject(new Error('nothing to publish')))).toBe(0);
  });

  it('keeps what was not published, and events written while publishing', async () => {
    const { collection, source } = setUp();
    const [a1, a2, later] = [deleted('a'), deleted('a'), deleted('a')];
    collection.insert({ _id: 'a', pendingEvents: [a1, a2] });
    await source.claim(10, (records) => {
      collection.update(
        'a',
        (current) => current && { ...current, pendingEvents: [...(current.pendingEvents ?? []), later] },
      );
      return Promise.resolve(records.slice(0, 1));
    });
    expect(collection.get('a')?.pendingEvents?.map((event) => event.eventId)).toEqual([
      a2.eventId,
      later.eventId,
    ]);
  });

  it('claims at most `limit` events', async () => {
    const { collection, source } = setUp();
    collection.insert({ _id: 'a', pendingEvents: [deleted('a'), deleted('a'), deleted('a')] });
    let handed = 0;
    expect(
      await source.claim(2, (records) => {
        handed = records.length;
        return Promise.resolve(records);
      }),
    ).toBe(2);
    expect(handed).toBe(2);
    expect(collection.get('a')?.pendingEvents).toHaveLength(1);
  });
});
