import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Stable error codes clients can rely on (`extensions.code`). */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INSUFFICIENT_STOCK'
  | 'INVALID_TRANSITION'
  | 'PAYMENT_DECLINED'
  | 'PAYMENT_PROVIDER_UNAVAILABLE'
  | 'ORDER_NOT_PAYABLE'
  | 'TOO_MANY_OPEN_ORDERS'
  | 'QUANTITY_LIMIT'
  | 'INTERNAL_SERVER_ERROR'
  | 'UNAVAILABLE';

/**
 * An error of this project. `retriable` tells event consumers whether trying again may succeed
 * (a database or broker outage) or not (bad input, a rule broken).
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retriable = false,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (message: string, details?: Record<string, unknown>): AppError =>
  new AppError('BAD_USER_INPUT', message, false, details);
export const unauthenticated = (message = 'Authentication required'): AppError =>
  new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'Not allowed'): AppError => new AppError('FORBIDDEN', message);
export const notFound = (what: string, id: string): AppError =>
  new AppError('NOT_FOUND', `${what} ${id} not found`, false, { id });
export const conflict = (message: string): AppError => new AppError('CONFLICT', message);
export const unavailable = (message: string): AppError => new AppError('UNAVAILABLE', message, true);

export function isRetriable(error: unknown): boolean {
  // Anything that is not one of our errors (a dropped connection, a timeout) may pass on retry.
  return error instanceof AppError ? error.retriable : true;
}

/**
 * Codes whose errors are safe to show as they are: request errors from graphql-js and Apollo Server,
 * and our own codes as they arrive at the gateway from a subgraph (already formatted there).
 */
const safeCodes = new Set<string>([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INSUFFICIENT_STOCK',
  'INVALID_TRANSITION',
  'PAYMENT_DECLINED',
  'PAYMENT_PROVIDER_UNAVAILABLE',
  'ORDER_NOT_PAYABLE',
  'TOO_MANY_OPEN_ORDERS',
  'QUANTITY_LIMIT',
  'UNAVAILABLE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo Server `formatError`: our errors keep their message and code; request errors keep theirs;
 * anything else becomes INTERNAL_SERVER_ERROR with no message, stack, SQL or driver text.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof AppError) {
    return {
      ...base,
      message: original.message,
      extensions: { code: original.code, ...(original.details ? { details: original.details } : {}) },
    };
  }
  const code = formatted.extensions?.['code'];
  // Apollo's own request errors (validation, variable coercion) wrap GraphQLErrors: trust their code.
  const wrapsThrownError =
    original instanceof Error && !(original instanceof GraphQLError) && original !== error;
  if (typeof code === 'string' && safeCodes.has(code) && !wrapsThrownError) {
    // A subgraph's details (e.g. the status of an order that cannot be paid) were made by our own formatError.
    const details = formatted.extensions?.['details'];
    const extensions = isRecord(details) ? { code, details } : { code };
    return { ...base, message: formatted.message, extensions };
  }
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
