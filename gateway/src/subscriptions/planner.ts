import { buildOperationContext } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import type { OperationLimiter } from '../limits/operation-limiter.js';
import { isSubscriptionField, type SubscriptionField } from './fields.js';

type OperationContext = ReturnType<typeof buildOperationContext>;

/** A subscription operation parsed, validated and planned once, shared by all its subscribers. */
export interface PreparedSubscription {
  /** Identifies the operation (its text and operation name) in fan-out keys. */
  readonly key: string;
  readonly field: SubscriptionField;
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly operationContext: OperationContext;
  /** `Sequence [primary fetch to the subscriptions subgraph, rest]`, executable by executeQueryPlan. */
  readonly plan: QueryPlan;
  readonly fieldDefinition: GraphQLField<unknown, unknown>;
  readonly fieldNode: FieldNode;
  /** The variables given to the root field's `after` and `initial`: they never split a fan-out group. */
  readonly resumeVariables: readonly string[];
}

/** The root field's resume arguments: where to start, not what to receive. */
const resumeArguments = new Set(['after', 'initial']);

/** A subscriber's variables without those feeding the resume arguments. */
export function sharedVariables(
  prepared: PreparedSubscription,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  if (prepared.resumeVariables.length === 0) return variables;
  const shared = { ...variables };
  for (const name of prepared.resumeVariables) delete shared[name];
  return shared;
}

/** A subscriber's variables, coerced, and the root field's arguments (that filter the events). */
export interface SubscriptionArguments {
  readonly variables: Record<string, unknown>;
  readonly args: Record<string, unknown>;
}

const maxCachedOperations = 1_000;

export interface SubscriptionPlannerOptions {
  /** Introspection and "Did you mean …" suggestions in validation and variable errors (default true). */
  readonly introspection?: boolean;
  /** The gateway's operation limits, applied as to HTTP requests; none: unlimited. */
  readonly limiter?: OperationLimiter | undefined;
}

/**
 * Plans subscription operations on the supergraph with Apollo's QueryPlanner: a Subscription node
 * whose primary fetch goes to the `subscriptions` subgraph (answered from the Kafka event) and whose
 * `rest` fetches the entities' fields from the subgraphs that own them. One plan per distinct operation.
 */
export class SubscriptionPlanner {
  /** The public API schema (graphql-js) that validates client operations. */
  readonly apiSchema: GraphQLSchema;
  /** The same API schema as federation-internals has it (executeQueryPlan needs this one). */
  readonly federationApiSchema: Schema;
  readonly supergraphSchema: GraphQLSchema;
  /** The `subscriptions` subgraph's schema: answers the primary fetch from an event. */
  readonly subscriptionsSchema: GraphQLSchema;
  /** The subgraphs of the supergraph with the URLs composed into it. */
  readonly subgraphs: readonly { readonly name: string; readonly url: string }[];
  private readonly planner: QueryPlanner;
  private readonly cache = new Map<string, PreparedSubscription | readonly GraphQLError[]>();
  private readonly hideSuggestions: boolean;
  private readonly validationRules: readonly ValidationRule[];

  private readonly limiter: OperationLimiter | undefined;

  constructor(supergraphSdl: string, options: SubscriptionPlannerOptions = {}) {
    const introspection = options.introspection ?? true;
    this.limiter = options.limiter;
    this.hideSuggestions = !introspection;
    this.validationRules = [
      ...specifiedRules,
      ...(introspection ? [] : [NoSchemaIntrospectionCustomRule]),
      ...(this.limiter?.validationRules ?? []),
    ];
    const supergraph = Supergraph.build(supergraphSdl);
    this.federationApiSchema = supergraph.apiSchema();
    this.apiSchema = this.federationApiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    const subscriptions = supergraph.subgraphs().get('subscriptions');
    if (!subscriptions) throw new Error('The supergraph has no "subscriptions" subgraph');
    this.subscriptionsSchema = subscriptions.schema.toGraphQLJSSchema();
    this.subgraphs = supergraph.subgraphsMetadata();
    this.planner = new QueryPlanner(supergraph);
  }

  /** The prepared operation, or the errors to send the client (cached either way). */
  prepare(query: string, operationName?: string | null): PreparedSubscription | readonly GraphQLError[] {
    const key = JSON.stringify([query, operationName ?? null]);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const prepared = this.build(key, query, operationName ?? undefined);
    if (this.cache.size >= maxCachedOperations) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(key, prepared);
    return prepared;
  }

  /** Coerces a subscriber's variables and reads the root field's arguments. */
  argumentsOf(
    prepared: PreparedSubscription,
    inputs: unknown,
  ): SubscriptionArguments | readonly GraphQLError[] {
    const operation = prepared.operationContext.operation;
    const raw = typeof inputs === 'object' && inputs !== null ? (inputs as Record<string, unknown>) : {};
    const coerced = getVariableValues(this.apiSchema, operation.variableDefinitions ?? [], raw, {
      hideSuggestions: this.hideSuggestions,
    });
    if (coerced.errors) return coerced.errors.map((error) => withCode(error, 'BAD_USER_INPUT'));
    const variables = coerced.coerced;
    const refusal = this.limiter?.costRefusal(this.apiSchema, prepared.document, prepared.operationName, raw);
    if (refusal) return [refusal];
    return { variables, args: getArgumentValues(prepared.fieldDefinition, prepared.fieldNode, variables) };
  }

  private build(
    key: string,
    query: string,
    operationName: string | undefined,
  ): PreparedSubscription | readonly GraphQLError[] {
    let document: DocumentNode;
    try {
      document = parse(query, this.limiter?.parseOptions);
    } catch (error) {
      const refusal = this.limiter?.refusalOf(error);
      if (refusal) return [refusal];
      const message = error instanceof Error ? error.message : 'Syntax error';
      return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
    }
    const validationErrors = validate(this.apiSchema, document, this.validationRules, {
      hideSuggestions: this.hideSuggestions,
    });
    if (validationErrors.length > 0) {
      return validationErrors.map(
        (error) => this.limiter?.refusalOf(error) ?? withCode(error, 'GRAPHQL_VALIDATION_FAILED'),
      );
    }
    const operation = getOperationAST(document, operationName);
    if (!operation) return [badRequest('Unable to identify the operation to run')];
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return [
        badRequest(
          'Only subscriptions are served over WebSocket; send queries and mutations to POST /graphql',
        ),
      ];
    }
    const fragments = new Map(
      document.definitions
        .filter(
          (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
        )
        .map((fragment) => [fragment.name.value, fragment]),
    );
    const fieldNode = rootField(operation.selectionSet, fragments);
    const field = fieldNode?.name.value;
    const fieldDefinition = field ? this.apiSchema.getSubscriptionType()?.getFields()[field] : undefined;
    if (!fieldNode || !field || !isSubscriptionField(field) || !fieldDefinition) {
      return [badRequest('Unknown subscription field')];
    }
    const planned = this.planner.buildQueryPlan(
      operationFromDocument(this.federationApiSchema, document, { operationName }),
    );
    if (planned.node?.kind !== 'Subscription')
      return [badRequest('The operation did not plan as a subscription')];
    const { primary, rest } = planned.node;
    const nodes: PlanNode[] = rest ? [primary, rest] : [primary];
    return {
      key,
      field,
      document,
      operationName,
      operationContext: buildOperationContext({
        schema: this.apiSchema,
        operationDocument: document,
        operationName,
      }),
      plan: { kind: 'QueryPlan', node: { kind: 'Sequence', nodes } },
      fieldDefinition,
      fieldNode,
      resumeVariables: (fieldNode.arguments ?? []).flatMap((argument) =>
        resumeArguments.has(argument.name.value) && argument.value.kind === Kind.VARIABLE
          ? [argument.value.name.value]
          : [],
      ),
    };
  }
}

/** The single root field of a (validated) subscription, through fragments if need be. */
function rootField(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): FieldNode | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const nested =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : fragments.get(selection.name.value)?.selectionSet;
    const found = nested && rootField(nested, fragments);
    if (found) return found;
  }
  return undefined;
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code } });
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });
}
