import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../context.js';
import { EntityCachingDataSource, queriesKey } from './caching-data-source.js';
import { EntityStore } from './entity-store.js';
import { publicData } from './public-data.js';

const inventoryQuery =
  'query($representations:[_Any!]!){_entities(representations:$representations){...on Product{inventory{available reserved}}}}';

type Options = GraphQLDataSourceProcessOptions<GatewayContext>;

/** A subgraph that answers each representation with its stock, recording the ids it was asked for. */
class FakeInventory implements GraphQLDataSource<GatewayContext> {
  readonly asked: string[][] = [];
  available = 10;
  failing = new Set<string>();

  process(options: Options): Promise<GatewayGraphQLResponse> {
    const representations = (options.request.variables?.['representations'] ?? []) as { id: string }[];
    this.asked.push(representations.map(({ id }) => id));
    const errors = representations.flatMap(({ id }, index) =>
      this.failing.has(id)
        ? [{ message: `no stock for ${id}`, path: ['_entities', index, 'inventory'] }]
        : [],
    );
    return Promise.resolve({
      data: {
        _entities: representations.map(({ id }) =>
          this.failing.has(id)
            ? { inventory: null }
            : { inventory: { available: this.available, reserved: 0 } },
        ),
      },
      ...(errors.length > 0 ? { errors } : {}),
    });
  }
}

function incoming(query: string, ids: readonly string[]): Options {
  return {
    kind: 'incoming operation',
    request: { query, variables: { representations: ids.map((id) => ({ __typename: 'Product', id })) } },
    incomingRequestContext: {},
    context: {},
    document: parse(query),
  } as unknown as Options;
}

function setup(): { subgraph: FakeInventory; store: EntityStore; source: EntityCachingDataSource } {
  const subgraph = new FakeInventory();
  const store = new EntityStore(1024 * 1024);
  store.enable();
  const source = new EntityCachingDataSource('inventory', subgraph, store, publicData['inventory'], {
    lookups: () => undefined,
  });
  return { subgraph, store, source };
}

describe('EntityCachingDataSource', () => {
  it('fetches only the representations not cached, and merges the answers in order', async () => {
    const { subgraph, source } = setup();
    await source.process(incoming(inventoryQuery, ['1', '3']));
    const response = await source.process(incoming(inventoryQuery, ['1', '2', '3', '4']));
    expect(subgraph.asked).toEqual([
      ['1', '3'],
      ['2', '4'],
    ]);
    expect(response.data?.['_entities']).toHaveLength(4);
    // All cached now: no request at all.
    await source.process(incoming(inventoryQuery, ['4', '3', '2', '1']));
    expect(subgraph.asked).toHaveLength(2);
  });

  it('fetches an invalidated entity again and serves its new state', async () => {
    const { subgraph, store, source } = setup();
    await source.process(incoming(inventoryQuery, ['1']));
    subgraph.available = 7;
    store.invalidate('Product:1');
    const response = await source.process(incoming(inventoryQuery, ['1']));
    expect(response.data).toEqual({ _entities: [{ inventory: { available: 7, reserved: 0 } }] });
    expect(subgraph.asked).toEqual([['1'], ['1']]);
  });

  it('does not cache what a fetch read when its entity was invalidated while it was in flight', async () => {
    const { subgraph, store, source } = setup();
    const original = subgraph.process.bind(subgraph);
    subgraph.process = async (options) => {
      const answer = await original(options);
      // The event is read after the subgraph answered with the old state, before the gateway got it.
      store.invalidate('Product:1');
      return answer;
    };
    await source.process(incoming(inventoryQuery, ['1', '2']));
    subgraph.process = original;
    await source.process(incoming(inventoryQuery, ['1', '2']));
    expect(subgraph.asked).toEqual([['1', '2'], ['1']]);
  });

  it('renumbers the error paths of a partial fetch and caches none of the failed entities', async () => {
    const { subgraph, source } = setup();
    await source.process(incoming(inventoryQuery, ['1']));
    subgraph.failing.add('3');
    const response = await source.process(incoming(inventoryQuery, ['1', '2', '3']));
    expect(response.errors).toEqual([{ message: 'no stock for 3', path: ['_entities', 2, 'inventory'] }]);
    subgraph.failing.clear();
    await source.process(incoming(inventoryQuery, ['1', '2', '3']));
    expect(subgraph.asked).toEqual([['1'], ['2', '3'], ['3']]);
  });

  it('passes through a fetch selecting a field that is not public, never caching it', async () => {
    const { subgraph, source } = setup();
    const query =
      'query($representations:[_Any!]!){_entities(representations:$representations){...on Product{orders{id}}}}';
    await source.process(incoming(query, ['1']));
    await source.process(incoming(query, ['1']));
    expect(subgraph.asked).toEqual([['1'], ['1']]);
  });

  it('caches a public root query whole, until its key is invalidated', async () => {
    const subgraph = new FakeInventory();
    const store = new EntityStore(1024 * 1024);
    store.enable();
    const listing = 'query{products(first:2){edges{node{id name}}}}';
    let asked = 0;
    const products = new EntityCachingDataSource(
      'products',
      {
        process: () => {
          asked += 1;
          return Promise.resolve({
            data: { products: { edges: [{ node: { id: '1', name: `v${asked}` } }] } },
          });
        },
      },
      store,
      publicData['products'],
      { lookups: () => undefined },
    );
    await products.process(incoming(listing, []));
    const cached = await products.process(incoming(listing, []));
    expect(cached.data).toEqual({ products: { edges: [{ node: { id: '1', name: 'v1' } }] } });
    store.invalidate(queriesKey);
    const fresh = await products.process(incoming(listing, []));
    expect(fresh.data).toEqual({ products: { edges: [{ node: { id: '1', name: 'v2' } }] } });
    expect(subgraph.asked).toEqual([]);
  });

  it('clears the subgraph entries once a mutation through this gateway is answered', async () => {
    const { subgraph, source } = setup();
    await source.process(incoming(inventoryQuery, ['1']));
    await source.process(incoming('mutation{adjustStock(productId:"1",delta:1){available}}', []));
    await source.process(incoming(inventoryQuery, ['1']));
    expect(subgraph.asked.filter((ids) => ids.length > 0)).toEqual([['1'], ['1']]);
  });
});
