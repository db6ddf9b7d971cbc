import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, parse, type DocumentNode, type SelectionSetNode } from 'graphql';

/** An entity whose whole state (as one subgraph resolves it) an event carries. */
export interface CarriedEntity {
  readonly subgraph: string;
  readonly typename: string;
  readonly id: string;
  /** What the subgraph's `_entities` would give for every public field of the entity. */
  readonly value: Readonly<Record<string, unknown>>;
}

/** Where an execution's carried entity travels in the query plan's context. */
export const carriedEntityKey = 'carriedEntity';

/**
 * A subgraph's data source in subscription executions: an `_entities` fetch of only the entity the
 * event carries is answered from the event (the state it describes, not whatever the subgraph holds
 * by then); a fetch it cannot answer so (another entity, a field the event lacks, arguments,
 * directives, named fragments) goes to the subgraph.
 */
export class CarriedEntityDataSource implements GraphQLDataSource {
  private readonly documents = new Map<string, DocumentNode>();

  constructor(
    private readonly name: string,
    private readonly inner: GraphQLDataSource,
  ) {}

  process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    // Health checks and schema loads carry no execution.
    if (!('incomingRequestContext' in options)) return this.inner.process(options);
    const carried = (options.context as Record<string, unknown>)[carriedEntityKey] as
      CarriedEntity | undefined;
    if (carried?.subgraph !== this.name) return this.inner.process(options);
    const representations: unknown = options.request.variables?.['representations'];
    const only =
      Array.isArray(representations) &&
      representations.length > 0 &&
      representations.every((representation) => isReferenceTo(representation, carried));
    const document = options.document ?? this.parsed(options.request.query ?? '');
    const entity = only ? projectEntity(document, carried.value) : undefined;
    if (!entity || !Array.isArray(representations)) return this.inner.process(options);
    return Promise.resolve({ data: { _entities: representations.map(() => entity) } });
  }

  private parsed(query: string): DocumentNode {
    let document = this.documents.get(query);
    if (!document) {
      document = parse(query);
      if (this.documents.size < 1_000) this.documents.set(query, document);
    }
    return document;
  }
}

/**
 * The entity `_entities` would return for the fetch `document` (a query selecting only
 * `_entities`), projected from `value`; `undefined` when the selection asks for something `value`
 * does not hold or that a projection cannot decide.
 */
export function projectEntity(
  document: DocumentNode,
  value: Readonly<Record<string, unknown>>,
): Record<string, unknown> | undefined {
  const [operation, ...others] = document.definitions;
  if (others.length > 0 || operation?.kind !== Kind.OPERATION_DEFINITION) return undefined;
  const [root, ...more] = operation.selectionSet.selections;
  if (more.length > 0 || root?.kind !== Kind.FIELD || root.name.value !== '_entities') return undefined;
  if (!root.selectionSet) return undefined;
  return project(root.selectionSet, value);
}

function project(
  selectionSet: SelectionSetNode,
  value: Readonly<Record<string, unknown>>,
  into: Record<string, unknown> = {},
): Record<string, unknown> | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.directives?.length) return undefined;
    if (selection.kind === Kind.FRAGMENT_SPREAD) return undefined;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition?.name.value;
      if (type !== undefined && type !== value['__typename']) continue;
      if (!project(selection.selectionSet, value, into)) return undefined;
      continue;
    }
    if (selection.arguments?.length) return undefined;
    const name = selection.name.value;
    if (!Object.hasOwn(value, name)) return undefined;
    const field: unknown = value[name];
    const key = selection.alias?.value ?? name;
    if (!selection.selectionSet || field === null) {
      into[key] = field;
      continue;
    }
    if (!isObject(field)) return undefined;
    const existing = into[key];
    const nested = project(selection.selectionSet, field, isObject(existing) ? existing : {});
    if (!nested) return undefined;
    into[key] = nested;
  }
  return into;
}

function isReferenceTo(representation: unknown, carried: CarriedEntity): boolean {
  return (
    isObject(representation) &&
    representation['__typename'] === carried.typename &&
    representation['id'] === carried.id &&
    Object.keys(representation).length === 2
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
