import { AppError, isAppError } from '../../shared/errors/app-error';

/**
 * A dependency's failure as the runtime should report it: an AppError passes as it is; anything else (a refused
 * connection, a timeout, a lost node) becomes kind `unavailable`, which answers 503 and makes Knative redeliver
 * the event. The original error stays the `cause`, so the runtime logs it while the answer says nothing internal.
 */
export function asUnavailable(error: unknown, code: string, message: string): AppError {
  if (isAppError(error)) return error;
  return new AppError('unavailable', code, message, [], { cause: error });
}

/** A failure of the order service's SQL database. */
export function orderDatabaseUnavailable(error: unknown): AppError {
  return asUnavailable(
    error,
    'ORDER.DATABASE_UNAVAILABLE',
    'The order database is unavailable; try again later.',
  );
}

/** A failure of the store of the notification inboxes. */
export function notificationsUnavailable(error: unknown): AppError {
  return asUnavailable(
    error,
    'NOTIFICATIONS.UNAVAILABLE',
    'The notification inbox is unavailable; try again later.',
  );
}
