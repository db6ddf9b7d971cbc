import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  CarriedEntityDataSource,
  carriedEntityKey,
  projectEntity,
  type CarriedEntity,
} from './carried-entities.js';

const stock = {
  __typename: 'InventoryItem',
  productId: 'p1',
  available: 7,
  reserved: 2,
  reorderThreshold: 5,
  lowStock: false,
  updatedAt: '2026-11-27T07:00:00.000Z',
  version: 4,
};
const carried: CarriedEntity = {
  subgraph: 'inventory',
  typename: 'Product',
  id: 'p1',
  value: { __typename: 'Product', id: 'p1', inventory: stock },
};
const entities = (selection: string) =>
  parse(`query($representations:[_Any!]!){_entities(representations:$representations){${selection}}}`);

describe('projectEntity', () => {
  it('projects the fetched selection: inline fragments, aliases, __typename, nested objects', () => {
    expect(
      projectEntity(
        entities('__typename ...on Product{inventory{left:available reserved __typename}} ...on Other{x}'),
        carried.value,
      ),
    ).toEqual({ __typename: 'Product', inventory: { left: 7, reserved: 2, __typename: 'InventoryItem' } });
  });

  it('merges two selections of one object', () => {
    expect(
      projectEntity(
        entities('...on Product{inventory{available}} ...on Product{inventory{version}}'),
        carried.value,
      ),
    ).toEqual({ inventory: { available: 7, version: 4 } });
  });

  it('gives up on what the event does not hold or a projection cannot decide', () => {
    for (const selection of [
      '...on Product{inventory{available incoming}}',
      '...on Product{inventory{available @include(if: true)}}',
      '...on Product{history(last: 3){available}}',
      '...Stock',
    ]) {
      expect(projectEntity(entities(selection), carried.value)).toBeUndefined();
    }
    expect(
      projectEntity(parse('{ inventoryItem(productId: "p1") { available } }'), carried.value),
    ).toBeUndefined();
  });
});

describe('CarriedEntityDataSource', () => {
  const asked: unknown[] = [];
  const inner = {
    process: (options: GraphQLDataSourceProcessOptions) => {
      asked.push(options.request.variables);
      return Promise.resolve({ data: { _entities: [] } });
    },
  };
  const fetch = (
    subgraph: string,
    ids: readonly string[],
    selection = '...on Product{inventory{available}}',
  ) =>
    new CarriedEntityDataSource(subgraph, inner).process({
      kind: 'incoming operation',
      request: {
        query: 'ignored: the document is given',
        variables: { representations: ids.map((id) => ({ __typename: 'Product', id })) },
      },
      incomingRequestContext: {},
      context: { [carriedEntityKey]: carried },
      document: entities(selection),
    } as unknown as GraphQLDataSourceProcessOptions);

  it("answers a fetch of the event's own entity from the event, without asking the subgraph", async () => {
    asked.length = 0;
    expect(await fetch('inventory', ['p1', 'p1'])).toEqual({
      data: { _entities: [{ inventory: { available: 7 } }, { inventory: { available: 7 } }] },
    });
    expect(asked).toEqual([]);
  });

  it('asks the subgraph for any other entity, another subgraph, or a field the event lacks', async () => {
    asked.length = 0;
    await fetch('inventory', ['p1', 'p2']);
    await fetch('products', ['p1']);
    await fetch('inventory', ['p1'], '...on Product{inventory{available incoming}}');
    expect(asked).toHaveLength(3);
  });
});
