import { status, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { z } from 'zod';
import { AppError, type ErrorKind, type FieldIssue } from '../errors/app-error';
import { serviceUnavailable } from '../errors/unavailable';
import { metadataText } from './call-metadata';
import { ERROR_CODE_KEY, ERROR_FIELDS_KEY } from './grpc-error-status';

// The inverse of GRPC_STATUS_OF_KIND (grpc-error-status.ts); RESOURCE_EXHAUSTED reads as rate-limited. UNAVAILABLE
// and the statuses of no kind are left out on purpose: they all become `unavailable`.
const KIND_OF_STATUS: ReadonlyMap<status, ErrorKind> = new Map<status, ErrorKind>([
  [status.INVALID_ARGUMENT, 'invalid'],
  [status.UNAUTHENTICATED, 'unauthenticated'],
  [status.PERMISSION_DENIED, 'forbidden'],
  [status.NOT_FOUND, 'not-found'],
  [status.ALREADY_EXISTS, 'conflict'],
  [status.FAILED_PRECONDITION, 'rule'],
  [status.RESOURCE_EXHAUSTED, 'rate-limited'],
]);
const FieldIssues = z.array(z.object({ field: z.string(), message: z.string() }));

/**
 * The AppError of a failed client call, as the server's `toGrpcStatus` made it: a status of an error kind keeps the
 * server's message, its code (trailer `error-code`, else `SERVICE.<STATUS>`) and its invalid fields
 * (`error-fields-bin`). Anything else (UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, INTERNAL, an abort, ...) is
 * {@link serviceUnavailable}: code `SERVICE.UNAVAILABLE` and a generic message, as the upstream's details may hold its
 * internals; they stay in `cause` (and the client's log).
 */
export function appErrorOfCall(error: unknown): AppError {
  const kind = isServiceError(error) ? KIND_OF_STATUS.get(error.code) : undefined;
  if (!isServiceError(error) || kind === undefined) return serviceUnavailable(error);
  const code = metadataText(error.metadata, ERROR_CODE_KEY) ?? `SERVICE.${status[error.code]}`;
  return new AppError(kind, code, error.details, fieldsOf(error.metadata), { cause: error });
}

/** Whether a value is the error of a grpc-js call (status code, details and trailers). */
export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && 'code' in error && 'details' in error && 'metadata' in error;
}

/** The invalid fields of trailer `error-fields-bin`; none when it is absent or not what our servers write. */
function fieldsOf(trailers: Metadata): FieldIssue[] {
  const [bytes] = trailers.get(ERROR_FIELDS_KEY);
  if (!Buffer.isBuffer(bytes)) return [];
  try {
    return FieldIssues.safeParse(JSON.parse(bytes.toString('utf8'))).data ?? [];
  } catch {
    return [];
  }
}
