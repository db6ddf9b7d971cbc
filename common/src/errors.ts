import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isTransientFailure } from './transient-errors.js';

export { isTransientFailure };

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
 * An error of this project. `retriable` tells event consumers whether trying again succeeds once a
 * dependency is back (a database or broker outage: they wait for it) or not (bad input, a rule broken).
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

/**
 * How a failure may fare when tried again:
 * - `transient`: a dependency is unreachable, shutting down or too slow (a retriable AppError, or a
 *   driver's connection error or timeout: isTransientFailure). It passes once the dependency is back.
 * - `permanent`: one of our errors that is not retriable (bad input, a rule broken).
 * - `unexpected`: anything else (a bug, an unknown driver error). It may pass, or never.
 */
export type FailureKind = 'transient' | 'permanent' | 'unexpected';

export function failureKind(error: unknown): FailureKind {
  if (error instanceof AppError) return error.retriable ? 'transient' : 'permanent';
  return isTransientFailure(error) ? 'transient' : 'unexpected';
}

/** A retriable failure: trying again passes once the dependency is back (a transient FailureKind). */
export function isRetriable(error: unknown): boolean {
  return failureKind(error) === 'transient';
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
  'TRUSTED_DOCUMENT_REQUIRED',
  'OPERATION_RESOLUTION_FAILURE',
  // The gateway's rate limits (HTTP 429 with Retry-After).
  'RATE_LIMITED',
  'OPERATION_LIMIT_EXCEEDED',
  // Resume cursors of subscriptions (gateway/src/subscriptions/cursor.ts).
  'CURSOR_EXPIRED',
  'BAD_CURSOR',
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
