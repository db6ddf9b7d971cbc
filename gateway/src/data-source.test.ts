import { describe, expect, it } from 'vitest';
import type { Logger } from '@commerce/common/logger';
import { SubgraphDataSource, subgraphUrl } from './data-source.js';

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

describe('SubgraphDataSource.didEncounterError', () => {
  it('logs the cause of a failed subgraph call, and answers UNAVAILABLE without it', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = {
      warn: (fields: Record<string, unknown>, message: string) => lines.push({ ...fields, message }),
    } as unknown as Logger;
    const source = new SubgraphDataSource({
      name: 'inventory',
      url: 'http://127.0.0.1:1/graphql',
      fetcher: () => Promise.reject(new Error('unused')),
      logger,
    });
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(() => source.didEncounterError(cause, {}, undefined, { correlationId: 'c1' })).toThrow(
      'The inventory service is unavailable',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      subgraph: 'inventory',
      correlationId: 'c1',
      err: cause,
      message: 'The inventory subgraph call failed',
    });
  });
});
