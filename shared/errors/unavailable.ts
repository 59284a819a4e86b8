import { AppError, isAppError } from './app-error';

/** The code of every "try again later" answer: a store or a downstream service could not do its part. */
export const SERVICE_UNAVAILABLE = 'SERVICE.UNAVAILABLE';

/** How long a client should wait before retrying a 503 (the `Retry-After` header, in seconds). */
export const RETRY_AFTER_SECONDS = 2;

// Driver errors that mean "not now": the store is unreachable, timed out, overloaded or lost the connection, or a
// lock conflict outlived its retries. Recognised by name and code, so no driver is loaded to check.
const UNAVAILABLE_NAMES = new Set([
  // sequelize
  'SequelizeConnectionError',
  'SequelizeConnectionRefusedError',
  'SequelizeConnectionTimedOutError',
  'SequelizeConnectionAcquireTimeoutError',
  'SequelizeHostNotFoundError',
  'SequelizeHostNotReachableError',
  'SequelizeInvalidConnectionError',
  'SequelizeTimeoutError', // SQLite's SQLITE_BUSY after the busy timeout
  // cassandra-driver
  'NoHostAvailableError',
  'OperationTimedOutError',
  'BusyConnectionError',
]);

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'SQLITE_BUSY',
]);

// Cassandra's own "not now" answers (native protocol error codes): unavailable, overloaded, bootstrapping,
// write and read timeouts.
const CASSANDRA_UNAVAILABLE_CODES = new Set([0x1000, 0x1001, 0x1002, 0x1100, 0x1200]);

/**
 * Whether an error means that a store could not be reached or did not answer in time (walking its causes:
 * sequelize keeps the driver's error as `original`/`parent`). Such failures pass with time, so callers retry.
 */
export function isUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const { name, code } = cause as Error & { code?: unknown };
    if (UNAVAILABLE_NAMES.has(name)) return true;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (name === 'ResponseError' && typeof code === 'number' && CASSANDRA_UNAVAILABLE_CODES.has(code))
      return true;
    const next = cause as { original?: unknown; parent?: unknown; cause?: unknown };
    cause = next.original ?? next.parent ?? next.cause;
  }
  return false;
}

/** A store that could not do its part, as the caller sees it: 503, gRPC UNAVAILABLE, a redelivered event. */
export function serviceUnavailable(cause: unknown): AppError {
  return new AppError(
    'unavailable',
    SERVICE_UNAVAILABLE,
    'The service is temporarily unavailable; try again shortly.',
    [],
    { cause },
  );
}

/**
 * The error as the product's one error type, for the three places that answer for it (HTTP problem, gRPC status,
 * delivery outcome): an AppError as it is, a store's unavailability as {@link serviceUnavailable}, anything else
 * (a bug) undefined.
 */
export function asAppError(error: unknown): AppError | undefined {
  if (isAppError(error)) return error;
  return isUnavailable(error) ? serviceUnavailable(error) : undefined;
}
