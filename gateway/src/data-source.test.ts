import { describe, expect, it } from 'vitest';
import { subgraphUrl } from './data-source.js';

describe('subgraphUrl', () => {
  it('uses the configured URL of a subgraph', () => {
    expect(subgraphUrl('users', { users: 'http://u:1/graphql' }, 'http://localhost:4001/graphql')).toBe(
      'http://u:1/graphql',
    );
  });

  it('falls back to the URL composed into the supergraph', () => {
    expect(subgraphUrl('orders', {}, 'http://localhost:4004/graphql')).toBe('http://localhost:4004/graphql');
  });

  it('fails naming a subgraph that has no URL at all', () => {
    expect(() => subgraphUrl('orders', {}, undefined)).toThrow(/orders/);
  });

  it('takes any subgraph named in the map, and nothing inherited from Object', () => {
    expect(subgraphUrl('reviews', { reviews: 'http://r:1/graphql' }, undefined)).toBe('http://r:1/graphql');
    expect(subgraphUrl('constructor', {}, 'http://c:1/graphql')).toBe('http://c:1/graphql');
  });
});
