import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule, type MaxDepthOptions } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  getOperationAST,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { operationCost } from './cost.js';
import {
  defaultOperationLimits,
  OperationLimitError,
  type OperationLimitName,
  type OperationLimits,
  type OperationLimitsSetting,
} from './operation-limits.js';

/** graphql-js's own message when `parse(…, { maxTokens })` gives up ("more that" in graphql 16). */
const tokenLimitMessage = /^Syntax Error: Document contains more tha[nt] \d+ tokens\. Parsing aborted\.$/;

/**
 * The operation limits as the two front doors apply them: Apollo Server for HTTP (limits/apollo.ts)
 * and the subscription planner for graphql-ws. Tokens are counted by graphql-js's parser
 * (`maxTokens`), depth, aliases and directives by graphql-armor's validation rules, the cost by
 * graphql-query-complexity once the variables are known. Each refusal is an OperationLimitError.
 */
export class OperationLimiter {
  /** Options for graphql-js `parse`: stops at the token limit. */
  readonly parseOptions: ParseOptions;
  /** Validation rules to run beside graphql-js's `specifiedRules`. */
  readonly validationRules: readonly ValidationRule[];
  /** Costs of operations without variables, by the (cached, reused) operation node. */
  private readonly fixedCosts = new WeakMap<OperationDefinitionNode, number | undefined>();

  constructor(readonly limits: OperationLimits) {
    this.parseOptions = { maxTokens: limits.maxTokens };
    this.validationRules = [
      maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...refuseAs('depth') }),
      maxAliasesRule({ n: limits.maxAliases, ...refuseAs('aliases') }),
      maxDirectivesRule({ n: limits.maxDirectives, ...refuseAs('directives') }),
    ];
  }

  /**
   * The limit refusal behind an error of parsing or validation (as graphql-js, or Apollo Server
   * wrapping it, raised it), or undefined when the error is of another kind.
   */
  refusalOf(error: unknown): OperationLimitError | undefined {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (original instanceof OperationLimitError) return original;
    if (original instanceof GraphQLError && tokenLimitMessage.test(original.message)) {
      return new OperationLimitError('tokens', `Token limit of ${this.limits.maxTokens} exceeded.`);
    }
    return undefined;
  }

  /** The refusal of a (validated) operation whose estimated cost, with these variables, is over the limit. */
  costRefusal(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Readonly<Record<string, unknown>> | undefined,
  ): OperationLimitError | undefined {
    const operation = getOperationAST(document, operationName);
    if (!operation) return undefined;
    const fixed = !operation.variableDefinitions?.length;
    const cost =
      fixed && this.fixedCosts.has(operation)
        ? this.fixedCosts.get(operation)
        : operationCost(schema, document, operation, variables, this.limits.listSize);
    if (fixed) this.fixedCosts.set(operation, cost);
    if (cost === undefined || cost <= this.limits.maxCost) return undefined;
    const found = Number.isFinite(cost) ? `found ${cost}` : 'found more than can be estimated';
    return new OperationLimitError('cost', `Query cost limit of ${this.limits.maxCost} exceeded, ${found}.`);
  }
}

type ArmorCallbacks = Required<Pick<MaxDepthOptions, 'onReject' | 'propagateOnRejection'>>;

/** The limiter of a setting (default: `defaultOperationLimits`); none when the limits are off. */
export function operationLimiter(setting: OperationLimitsSetting | undefined): OperationLimiter | undefined {
  return setting === 'off' ? undefined : new OperationLimiter(setting ?? defaultOperationLimits);
}

/** graphql-armor options that report a rejection as an OperationLimitError instead of throwing. */
function refuseAs(limit: OperationLimitName): ArmorCallbacks {
  return {
    propagateOnRejection: false,
    onReject: [(context, error) => context?.reportError(new OperationLimitError(limit, error.message))],
  };
}
