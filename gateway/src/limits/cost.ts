import {
  getNullableType,
  getVariableValues,
  isListType,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/**
 * The cost estimate of graphql-query-complexity with one estimator: every field costs 1 plus its
 * selection, and a list multiplies its selection by the items it may return. A paginated field
 * (one taking `first` or `last`) returns that many, or `listSize` when the argument is left out;
 * the `edges` of a connection are that page, not another list; any other list field (a user's
 * `orders`, an order's `items`) is assumed to hold `listSize` items. Introspection costs nothing
 * here (it is bounded by depth and tokens).
 */
export function listCostEstimator(listSize: number): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    if (field.name.startsWith('__')) return 0;
    return 1 + itemsOf(type.name, field, args, listSize) * childComplexity;
  };
}

type EstimatorArgs = Parameters<ComplexityEstimator>[0];

function itemsOf(
  parentType: string,
  field: EstimatorArgs['field'],
  args: EstimatorArgs['args'],
  listSize: number,
): number {
  if (field.args.some(({ name }) => name === 'first' || name === 'last')) {
    const page: unknown = args['first'] ?? args['last'];
    return typeof page === 'number' ? Math.max(page, 0) : listSize;
  }
  if (!isListType(getNullableType(field.type))) return 1;
  return parentType.endsWith('Connection') ? 1 : listSize;
}

/**
 * The estimated cost of `operation` with the client's variables, or undefined when the variables
 * do not coerce (the gateway refuses those itself, before planning). Infinity when the estimate
 * gives up: fragments that expand to more than graphql-query-complexity's 10 000 fields.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
  listSize: number,
): number | undefined {
  const inputs = { ...variables };
  if (getVariableValues(schema, operation.variableDefinitions ?? [], inputs).errors) return undefined;
  try {
    return getComplexity({
      schema,
      query: document,
      operationName: operation.name?.value,
      variables: inputs,
      estimators: [listCostEstimator(listSize)],
    });
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
