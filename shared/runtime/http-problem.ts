import type { ErrorKind, FieldIssue } from '../errors/app-error';
import { asAppError } from '../errors/unavailable';

/** An RFC 9457 problem document, with our stable `code` and, for invalid input, the fields at fault. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: readonly FieldIssue[];
  /** Seconds until a refused caller may try again (also the `Retry-After` header); on some 429 answers. */
  readonly retryAfter?: number;
}

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  rule: 422,
  'rate-limited': 429,
  unavailable: 503,
};

const TITLE: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The one mapping from errors to HTTP answers. An AppError keeps its code and message; a store that cannot be
 * reached is a 503 `SERVICE.UNAVAILABLE` (shared/errors/unavailable.ts); anything else is a bug and becomes a 500.
 * Neither says anything about internals (the caller logs the real error).
 */
export function problemFor(error: unknown): Problem {
  const known = asAppError(error);
  if (!known) return problem(500, 'INTERNAL', 'An unexpected error occurred. It has been logged.');
  const answer = problem(STATUS[known.kind], known.code, known.message, known.fields);
  return known.retryAfterSeconds === undefined ? answer : { ...answer, retryAfter: known.retryAfterSeconds };
}

export function problem(
  status: number,
  code: string,
  detail: string,
  errors: readonly FieldIssue[] = [],
): Problem {
  return {
    type: `https://errors.ecom.example/${code.toLowerCase().replaceAll('.', '/')}`,
    title: TITLE[status] ?? 'Error',
    status,
    code,
    detail,
    ...(errors.length > 0 ? { errors } : {}),
  };
}
