import type { TopicName } from '@commerce/common/events';
import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** The fields a cached entity result may select: a field is a leaf (`true`) or an object with its own. */
export interface Shape {
  readonly [field: string]: true | Shape;
}

/**
 * What the gateway may cache, per subgraph: the entity type (resolved by `_entities` from its id
 * alone) and the fields whose value is the same for every viewer. A fetch that selects anything
 * else (orders, a user, a field added later) is never cached.
 */
export const publicEntities: Readonly<Record<string, { readonly typename: string; readonly fields: Shape }>> =
  {
    // Products resolve for everyone, deleted ones too (order history): no viewer in the answer.
    products: {
      typename: 'Product',
      fields: { id: true, name: true, description: true, category: true, price: true, createdAt: true },
    },
    // Product.inventory: the stock row, the same for every viewer (adjustStock is the ADMIN part).
    inventory: {
      typename: 'Product',
      fields: {
        id: true,
        inventory: {
          productId: true,
          available: true,
          reserved: true,
          reorderThreshold: true,
          lowStock: true,
          updatedAt: true,
        },
      },
    },
  };

/** The events that change a cached entity (payload `productId`), and the subgraphs whose entries they drop. */
export const invalidatingTopics = {
  'product.updated': ['products'],
  'product.deleted': ['products', 'inventory'],
  'stock.updated': ['inventory'],
} as const satisfies Partial<Record<TopicName, readonly string[]>>;

export type InvalidatingTopic = keyof typeof invalidatingTopics;

/** What a subgraph fetch is, for the cache. */
export type FetchKind = 'public-entities' | 'mutation' | 'other';

/**
 * Classifies a fetch document: a query of `_entities` alone whose selection stays inside `fields`
 * (inline fragments on `typename`, named fragments followed), a mutation, or anything else.
 */
export function classifyFetch(
  document: DocumentNode,
  entity: { readonly typename: string; readonly fields: Shape } | undefined,
): FetchKind {
  const operations = document.definitions.filter(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const [operation] = operations;
  if (!operation || operations.length !== 1) return 'other';
  if (operation.operation === OperationTypeNode.MUTATION) return 'mutation';
  if (operation.operation !== OperationTypeNode.QUERY || !entity) return 'other';
  const fragments = new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const [root, ...others] = operation.selectionSet.selections;
  if (
    others.length > 0 ||
    root?.kind !== Kind.FIELD ||
    root.name.value !== '_entities' ||
    !root.selectionSet
  ) {
    return 'other';
  }
  const within = (set: SelectionSetNode, shape: Shape, typename: string | undefined): boolean =>
    set.selections.every((selection) => {
      switch (selection.kind) {
        case Kind.FIELD: {
          const name = selection.name.value;
          if (name === '__typename') return true;
          const allowed = shape[name];
          if (allowed === undefined || (selection.arguments?.length ?? 0) > 0) return false;
          if (allowed === true) return !selection.selectionSet;
          return !!selection.selectionSet && within(selection.selectionSet, allowed, undefined);
        }
        case Kind.INLINE_FRAGMENT: {
          const on = selection.typeCondition?.name.value;
          return (on === undefined || on === typename) && within(selection.selectionSet, shape, typename);
        }
        case Kind.FRAGMENT_SPREAD: {
          const fragment = fragments.get(selection.name.value);
          return (
            !!fragment &&
            fragment.typeCondition.name.value === typename &&
            within(fragment.selectionSet, shape, typename)
          );
        }
      }
    });
  // `_entities` answers the union _Entity: only __typename and fragments on the cached type.
  const set = root.selectionSet;
  const entities = set.selections.every(
    (selection) =>
      (selection.kind === Kind.FIELD && selection.name.value === '__typename') ||
      (selection.kind !== Kind.FIELD &&
        within({ ...set, selections: [selection] }, entity.fields, entity.typename)),
  );
  return entities ? 'public-entities' : 'other';
}
