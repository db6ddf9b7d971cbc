import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError, ParseOptions, ValidationRule } from 'graphql';
import type { OperationLimiter } from './operation-limiter.js';
import { operationLimitCode } from './operation-limits.js';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** The Apollo Server options that apply the operation limits to HTTP requests. */
export interface ApolloOperationLimits<C extends BaseContext> {
  readonly parseOptions: ParseOptions;
  readonly validationRules: ValidationRule[];
  /** Refuses an operation over the cost limit once its variables are known, before execution. */
  readonly plugin: ApolloServerPlugin<C>;
  /** `format`, except that a refusal keeps its code (Apollo files it under GRAPHQL_PARSE/VALIDATION_FAILED). */
  readonly formatError: FormatError;
}

/**
 * Apollo Server options applying `limiter` (none: only `format`). Tokens stop the parser, the
 * other rules run with GraphQL validation (once per distinct document: Apollo caches validated
 * documents), and the cost is estimated in `didResolveOperation`, which runs before the gateway
 * plans the operation or calls any subgraph.
 */
export function apolloOperationLimits<C extends BaseContext>(
  limiter: OperationLimiter | undefined,
  format: FormatError,
): ApolloOperationLimits<C> {
  if (!limiter) return { parseOptions: {}, validationRules: [], plugin: {}, formatError: format };
  return {
    parseOptions: limiter.parseOptions,
    validationRules: [...limiter.validationRules],
    plugin: {
      requestDidStart: () =>
        Promise.resolve({
          didResolveOperation: ({ schema, document, request }) => {
            const refusal = limiter.costRefusal(schema, document, request.operationName, request.variables);
            return refusal ? Promise.reject(refusal) : Promise.resolve();
          },
        }),
    },
    formatError: (formatted, error) => {
      const refusal = limiter.refusalOf(error);
      if (!refusal) return format(formatted, error);
      return { message: refusal.message, extensions: { code: operationLimitCode } };
    },
  };
}
