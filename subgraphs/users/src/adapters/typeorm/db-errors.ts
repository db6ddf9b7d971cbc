import { AppError, conflict, isTransientFailure, unavailable } from '@commerce/common/errors';
import { QueryFailedError } from 'typeorm';

/**
 * Driver errors (PostgreSQL or SQLite) as the project's errors: the unique email -> CONFLICT, a lost connection
 * or a server shutting down (isTransientFailure) -> UNAVAILABLE (retriable). Anything else is rethrown as it is, and formatError hides it.
 */
export function translateDbError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const code = errorCode(error instanceof QueryFailedError ? error.driverError : error);
  if (code === '23505' && constraintOf(error) === 'users_email_unique') {
    return conflict('A user with this email already exists');
  }
  // SQLite (embedded) names the column rather than the constraint.
  if (error instanceof QueryFailedError && error.message.includes('UNIQUE constraint failed: users.email')) {
    return conflict('A user with this email already exists');
  }
  if (isTransientFailure(error)) return unavailable('Database unavailable');
  return error;
}

function errorCode(error: unknown): string | undefined {
  return isRecord(error) && typeof error['code'] === 'string' ? error['code'] : undefined;
}

function constraintOf(error: unknown): string | undefined {
  const driver: unknown = error instanceof QueryFailedError ? error.driverError : error;
  return isRecord(driver) && typeof driver['constraint'] === 'string' ? driver['constraint'] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
