/**
 * The one error type of the product. Each error has a kind from a closed set, which decides the HTTP status,
 * the gRPC status and the delivery outcome of a CloudEvent (in one place each: shared/runtime), and a stable,
 * namespaced code that clients can rely on (`AUTH.INVALID_CREDENTIALS`, `INVENTORY.INSUFFICIENT_STOCK`).
 */
export type ErrorKind =
  /** Malformed or invalid input: 400, INVALID_ARGUMENT, dead-lettered without retry. */
  | 'invalid'
  /** Missing or bad credentials: 401, UNAUTHENTICATED. */
  | 'unauthenticated'
  /** Authenticated but not allowed: 403, PERMISSION_DENIED. */
  | 'forbidden'
  /** No such resource (or not visible to the caller): 404, NOT_FOUND. */
  | 'not-found'
  /** The request conflicts with the current state (a taken e-mail): 409, ALREADY_EXISTS. */
  | 'conflict'
  /** A business rule refuses the request: 422, FAILED_PRECONDITION. */
  | 'rule'
  /** The body is over the configured limit: 413, RESOURCE_EXHAUSTED. */
  | 'too-large'
  /** Too many requests: 429, RESOURCE_EXHAUSTED. */
  | 'rate-limited'
  /** A dependency is down or timed out; retrying may succeed: 503, UNAVAILABLE, retried. */
  | 'unavailable';

/** One invalid field of a request, for the `errors` member of a problem. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export class AppError extends Error {
  override readonly name: string = 'AppError';
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: ErrorKind,
    /** Stable and namespaced, e.g. `USER.EMAIL_TAKEN`. */
    readonly code: string,
    /** Safe to show to the caller; never internals. */
    message: string,
    readonly fields: readonly FieldIssue[] = [],
    options?: {
      cause?: unknown;
      /** For `rate-limited`: when the caller may try again (the `Retry-After` header). */
      retryAfterSeconds?: number;
    },
  ) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** Whether a value is an AppError (also across bundles, where `instanceof` may see two copies of the class). */
export function isAppError(value: unknown): value is AppError {
  return (
    value instanceof AppError || (value instanceof Error && value.name === 'AppError' && 'kind' in value)
  );
}
