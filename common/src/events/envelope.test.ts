import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEnvelope, decodeEnvelope, InvalidEventError, parseEnvelope } from './envelope.js';
import { causedBy } from './origin.js';

const origin = { source: 'products', correlationId: randomUUID() };
const payload = {
  productId: 'p1',
  name: 'Phone',
  description: null,
  category: 'Electronics',
  price: 899.99,
  quantity: 50,
  reorderThreshold: 5,
};

describe('event envelope', () => {
  it('createEnvelope fills the metadata the architecture requires', () => {
    const event = createEnvelope('product.created', payload, origin, new Date('2026-01-02T03:04:05.000Z'));
    expect(event.metadata).toMatchObject({
      eventType: 'product.created',
      eventVersion: 1,
      occurredAt: '2026-01-02T03:04:05.000Z',
      source: 'products',
      correlationId: origin.correlationId,
      causationId: null,
    });
    expect(event.metadata.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.payload).toEqual(payload);
  });

  it('refuses a payload that breaks the topic schema, naming the field', () => {
    const broken = { ...payload, quantity: -1 };
    expect(() => createEnvelope('product.created', broken, origin)).toThrow(/quantity/);
  });

  it('refuses an event whose type does not match the topic', () => {
    const event = createEnvelope('product.deleted', { productId: 'p1' }, origin);
    expect(() => parseEnvelope('order.cancelled', event)).toThrow(InvalidEventError);
  });

  it('decodeEnvelope round-trips bytes and rejects non-JSON and empty messages', () => {
    const event = createEnvelope('product.deleted', { productId: 'p1' }, origin);
    expect(decodeEnvelope('product.deleted', Buffer.from(JSON.stringify(event)))).toEqual(event);
    expect(() => decodeEnvelope('product.deleted', 'not json')).toThrow(/not JSON/);
    expect(() => decodeEnvelope('product.deleted', null)).toThrow(/Empty/);
  });

  it('events caused by a consumed event keep its correlation id and name it as cause', () => {
    const cause = createEnvelope('product.deleted', { productId: 'p1' }, origin);
    const effect = createEnvelope('product.deleted', { productId: 'p1' }, causedBy(cause, 'inventory'));
    expect(effect.metadata.correlationId).toBe(origin.correlationId);
    expect(effect.metadata.causationId).toBe(cause.metadata.eventId);
    expect(effect.metadata.source).toBe('inventory');
  });
});
