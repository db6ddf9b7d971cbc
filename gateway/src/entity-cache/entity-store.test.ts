import { describe, expect, it } from 'vitest';
import { EntityStore } from './entity-store.js';

const selection = 'query { _entities { ... on Product { name } } }';

function enabledStore(maxBytes = 1024 * 1024): EntityStore {
  const store = new EntityStore(maxBytes);
  store.enable();
  return store;
}

/** Fills `entity` through a whole fetch (ticket, fill, end). */
function fetched(store: EntityStore, entity: string, json: string): void {
  const ticket = store.begin();
  if (ticket) store.fill(ticket, entity, selection, json);
  store.end(ticket);
}

describe('EntityStore', () => {
  it('serves a filled entity as a fresh copy each time', () => {
    const store = enabledStore();
    fetched(store, 'Product:1', '{"name":"Lamp"}');
    const first = store.get('Product:1', selection) as { name: string };
    first.name = 'changed by the caller';
    expect(store.get('Product:1', selection)).toEqual({ name: 'Lamp' });
    expect(store.get('Product:1', 'another selection')).toBeUndefined();
  });

  it('drops an entity when it is invalidated, and only that one', () => {
    const store = enabledStore();
    fetched(store, 'Product:1', '{"name":"Lamp"}');
    fetched(store, 'Product:2', '{"name":"Desk"}');
    store.invalidate('Product:1');
    expect(store.get('Product:1', selection)).toBeUndefined();
    expect(store.get('Product:2', selection)).toEqual({ name: 'Desk' });
  });

  it('does not keep what a fetch that started before the event read', () => {
    const store = enabledStore();
    const before = store.begin();
    store.invalidate('Product:1');
    if (before) store.fill(before, 'Product:1', selection, '{"name":"old"}');
    store.end(before);
    expect(store.get('Product:1', selection)).toBeUndefined();
    // A fetch started after the event fills.
    fetched(store, 'Product:1', '{"name":"new"}');
    expect(store.get('Product:1', selection)).toEqual({ name: 'new' });
  });

  it('still refuses the stale fill when younger fetches ended in between (no early forgetting)', () => {
    const store = enabledStore();
    const old = store.begin();
    store.invalidate('Product:1');
    fetched(store, 'Product:2', '{"name":"Desk"}');
    store.invalidate('Product:3');
    fetched(store, 'Product:4', '{"name":"Chair"}');
    if (old) store.fill(old, 'Product:1', selection, '{"name":"old"}');
    if (old) store.fill(old, 'Product:3', selection, '{"name":"old"}');
    store.end(old);
    expect(store.get('Product:1', selection)).toBeUndefined();
    expect(store.get('Product:3', selection)).toBeUndefined();
  });

  it('lets a fetch fill entities invalidated only before it started', () => {
    const store = enabledStore();
    store.invalidate('Product:1');
    const ticket = store.begin();
    store.invalidate('Product:2');
    if (ticket) {
      store.fill(ticket, 'Product:1', selection, '{"name":"Lamp"}');
      store.fill(ticket, 'Product:2', selection, '{"name":"stale"}');
    }
    store.end(ticket);
    expect(store.get('Product:1', selection)).toEqual({ name: 'Lamp' });
    expect(store.get('Product:2', selection)).toBeUndefined();
  });

  it('clear drops everything and refuses fills from fetches in flight', () => {
    const store = enabledStore();
    fetched(store, 'Product:1', '{"name":"Lamp"}');
    const inFlight = store.begin();
    store.clear();
    if (inFlight) store.fill(inFlight, 'Product:2', selection, '{"name":"Desk"}');
    store.end(inFlight);
    expect(store.size).toBe(0);
  });

  it('neither serves nor fills until enabled, nor after being disabled', () => {
    const store = new EntityStore(1024);
    expect(store.begin()).toBeUndefined();
    store.enable();
    fetched(store, 'Product:1', '{"name":"Lamp"}');
    store.disable();
    expect(store.get('Product:1', selection)).toBeUndefined();
    expect(store.begin()).toBeUndefined();
  });

  it('evicts the least recently used entities beyond its size', () => {
    const store = enabledStore(1_000);
    for (let i = 0; i < 20; i += 1) fetched(store, `Product:${i}`, JSON.stringify({ name: 'x'.repeat(50) }));
    expect(store.size).toBeLessThan(20);
    expect(store.get('Product:19', selection)).toBeDefined();
    expect(store.get('Product:0', selection)).toBeUndefined();
  });
});
