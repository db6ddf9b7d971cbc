/**
 * Recognises failures that pass once a dependency is back, whatever driver raised them. Structural
 * (by code, name and label): it loads no driver, and looks through the errors drivers wrap
 * (`cause`, TypeORM's `driverError`, AggregateError's `errors`).
 */

/** Node's system errors of a connection refused, reset, dropped or timed out, or a name not resolved. */
const systemErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception) is matched by prefix; the server shutting
 * down or starting (57P01-57P03), too many connections, and the conflicts a retry resolves
 * (serialization failure, deadlock).
 */
const sqlStates = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);

/** node-postgres reports a lost or timed-out connection by message only. */
const pgConnectionMessage =
  /^Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|^Query read timeout/;

/** The mongodb driver's errors of a server unreachable or gone (FerretDB's too). */
const mongoErrorNames = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'MongoServerClosedError',
]);

/** Labels the mongodb driver puts on errors worth retrying. */
const mongoLabels = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool', 'RetryableError'];

/**
 * MongoDB server codes of a node shutting down, stepping down or unreachable: HostUnreachable,
 * HostNotFound, NetworkTimeout, ShutdownInProgress, ExceededTimeLimit, PrimarySteppedDown,
 * SocketException, NotWritablePrimary, InterruptedAtShutdown, InterruptedDueToReplStateChange,
 * NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary.
 */
const mongoServerCodes = new Set([6, 7, 89, 91, 262, 189, 9001, 10107, 11600, 11602, 13435, 13436]);

/**
 * A failure that passes once a dependency is back: a database or broker unreachable, shutting down
 * or too slow (PostgreSQL through pg or TypeORM, MongoDB or FerretDB through the mongodb driver,
 * Kafka through kafkajs, a timeout).
 */
export function isTransientFailure(error: unknown, depth = 0): boolean {
  if (!isRecord(error) || depth > 5) return false;
  if (isTransientItself(error)) return true;
  const errors: unknown = error['errors'];
  const nested: readonly unknown[] = [
    error['cause'],
    error['driverError'],
    ...(Array.isArray(errors) ? (errors as readonly unknown[]) : []),
  ];
  return nested.some((inner) => inner !== error && isTransientFailure(inner, depth + 1));
}

function isTransientItself(error: Record<string, unknown>): boolean {
  const { code, name, message } = error;
  if (
    typeof code === 'string' &&
    (systemErrorCodes.has(code) || sqlStates.has(code) || code.startsWith('08'))
  )
    return true;
  if (typeof name !== 'string') return false;
  if (name === 'TimeoutError') return true;
  if (name.startsWith('Mongo')) {
    if (mongoErrorNames.has(name)) return true;
    if (typeof code === 'number' && mongoServerCodes.has(code)) return true;
    const hasLabel = error['hasErrorLabel'];
    return (
      typeof hasLabel === 'function' && mongoLabels.some((label) => hasLabel.call(error, label) === true)
    );
  }
  // kafkajs marks each of its errors retriable or not.
  if (name.startsWith('KafkaJS')) return error['retriable'] === true;
  return typeof message === 'string' && pgConnectionMessage.test(message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
