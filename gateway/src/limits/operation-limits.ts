import { GraphQLError } from 'graphql';

/**
 * How large an operation the gateway accepts, over HTTP and over WebSocket alike. Each limit is
 * configurable (limits/config.ts reads the environment variable named beside it).
 */
export interface OperationLimits {
  /** Deepest field nesting (fragments flattened), OPERATION_MAX_DEPTH. */
  readonly maxDepth: number;
  /** Aliased fields, OPERATION_MAX_ALIASES. */
  readonly maxAliases: number;
  /** Lexical tokens of the document, OPERATION_MAX_TOKENS. */
  readonly maxTokens: number;
  /** Directives used, OPERATION_MAX_DIRECTIVES. */
  readonly maxDirectives: number;
  /** Estimated cost (limits/cost.ts: every field 1, lists multiply), OPERATION_MAX_COST. */
  readonly maxCost: number;
  /** Items the cost estimate assumes for a list without `first`, OPERATION_LIST_SIZE. */
  readonly listSize: number;
}

/** The limits, or 'off' (OPERATION_LIMITS=off): nothing is checked beyond GraphQL validation. */
export type OperationLimitsSetting = OperationLimits | 'off';

/**
 * Every operation of the walkthrough, the playground and the typed client stays well inside these
 * (test/client/operation-limits.test.ts holds them to half of each): the deepest has 5 levels, the
 * longest 80 tokens (GraphiQL's introspection query 183), none uses an alias or a directive, the
 * costliest estimates 411 (a page of 100 products with every field: 1 501).
 */
export const defaultOperationLimits: OperationLimits = Object.freeze({
  maxDepth: 7,
  maxAliases: 15,
  maxTokens: 1_000,
  maxDirectives: 50,
  maxCost: 5_000,
  listSize: 10,
});

/** `extensions.code` of an operation refused by a limit. */
export const operationLimitCode = 'OPERATION_LIMIT_EXCEEDED';

export type OperationLimitName = 'depth' | 'aliases' | 'tokens' | 'directives' | 'cost';

/** The environment variable that sets each limit, named in the refusal's message. */
export const operationLimitVariables: Readonly<Record<OperationLimitName, string>> = {
  depth: 'OPERATION_MAX_DEPTH',
  aliases: 'OPERATION_MAX_ALIASES',
  tokens: 'OPERATION_MAX_TOKENS',
  directives: 'OPERATION_MAX_DIRECTIVES',
  cost: 'OPERATION_MAX_COST',
};

/** An operation over one of the limits: HTTP 400, `extensions.code` OPERATION_LIMIT_EXCEEDED. */
export class OperationLimitError extends GraphQLError {
  constructor(
    readonly limit: OperationLimitName,
    /** What was found, e.g. "Query depth limit of 8 exceeded, found 9." */
    detail: string,
  ) {
    super(`Operation limit ${operationLimitVariables[limit]}: ${detail.replace(/^Syntax Error: /, '')}`, {
      extensions: { code: operationLimitCode, http: { status: 400 } },
    });
    this.name = 'OperationLimitError';
  }
}
