import type { TopicName } from '@commerce/common/events';
import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** The fields a cached result may select: a field is a leaf (`true`) or an object with its own. */
export interface Shape {
  readonly [field: string]: true | Shape;
}

/** What the cache may keep of one subgraph's answers. */
export interface PublicData {
  /** The entity type its `_entities` resolves from the id alone, and its public fields. */
  readonly typename: string;
  readonly fields: Shape;
  /** Root query fields whose whole answer is public, and the events after which any of them may differ. */
  readonly queries?: { readonly fields: Shape; readonly changedBy: readonly InvalidatingTopic[] };
}

const productFields: Shape = {
  id: true,
  name: true,
  description: true,
  category: true,
  price: true,
  createdAt: true,
};

/**
 * What the gateway may cache, per subgraph: fields whose value is the same for every viewer. A
 * fetch that selects anything else (orders, a user, a field added later) is never cached.
 */
export const publicData: Readonly<Record<string, PublicData>> = {
  // The catalog is public: products resolve for everyone (deleted ones too by reference, for order
  // history); listings and lookups by id never depend on the viewer either.
  products: {
    typename: 'Product',
    fields: productFields,
    queries: {
      fields: {
        products: {
          edges: { cursor: true, node: productFields },
          pageInfo: { endCursor: true, hasNextPage: true },
          totalCount: true,
        },
        product: productFields,
      },
      changedBy: ['product.created', 'product.updated', 'product.deleted'],
    },
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

/** The events that change cached data (payload `productId`), and the subgraphs whose entity they change. */
export const invalidatingTopics = {
  'product.created': [],
  'product.updated': ['products'],
  'product.deleted': ['products', 'inventory'],
  'stock.updated': ['inventory'],
} as const satisfies Partial<Record<TopicName, readonly string[]>>;

export type InvalidatingTopic = keyof typeof invalidatingTopics;

/** What a subgraph fetch is, for the cache. */
export type FetchKind = 'public-entities' | 'public-query' | 'mutation' | 'other';

/**
 * Classifies a fetch document: a query of `_entities` alone whose selection stays inside the public
 * entity fields (inline fragments on the type, named fragments followed), a query of public root
 * fields, a mutation, or anything else.
 */
export function classifyFetch(document: DocumentNode, data: PublicData | undefined): FetchKind {
  const operations = document.definitions.filter(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const [operation] = operations;
  if (!operation || operations.length !== 1) return 'other';
  if (operation.operation === OperationTypeNode.MUTATION) return 'mutation';
  if (operation.operation !== OperationTypeNode.QUERY || !data) return 'other';
  const fragments = new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
  /** Whether `set` selects only `shape` (arguments only where `withArguments`). */
  const within = (
    set: SelectionSetNode,
    shape: Shape,
    typename: string | undefined,
    withArguments = false,
  ): boolean =>
    set.selections.every((selection) => {
      switch (selection.kind) {
        case Kind.FIELD: {
          const name = selection.name.value;
          if (name === '__typename') return true;
          const allowed = shape[name];
          if (allowed === undefined || (!withArguments && (selection.arguments?.length ?? 0) > 0))
            return false;
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
  const root = operation.selectionSet;
  const [first, ...others] = root.selections;
  if (others.length === 0 && first?.kind === Kind.FIELD && first.name.value === '_entities') {
    const set = first.selectionSet;
    // `_entities` answers the union _Entity: only __typename and fragments on the cached type.
    const entities =
      !!set &&
      set.selections.every(
        (selection) =>
          (selection.kind === Kind.FIELD && selection.name.value === '__typename') ||
          (selection.kind !== Kind.FIELD &&
            within({ ...set, selections: [selection] }, data.fields, data.typename)),
      );
    return entities ? 'public-entities' : 'other';
  }
  return data.queries && within(root, data.queries.fields, 'Query', true) ? 'public-query' : 'other';
}
