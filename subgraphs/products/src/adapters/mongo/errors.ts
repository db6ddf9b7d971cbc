import { AppError, conflict, isTransientFailure, unavailable } from '@commerce/common/errors';
import { MongoServerError } from 'mongodb';

const duplicateKey = 11000;

/** Runs a store call, turning driver errors into the project's errors (with `retriable`). */
export async function storeCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toAppError(error);
  }
}

function toAppError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof MongoServerError && error.code === duplicateKey)
    return conflict('Product already exists');
  if (isTransientFailure(error)) return unavailable('The product store is unavailable');
  return error;
}
