import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import type { ErrorKind } from '../errors/app-error';
import { asAppError } from '../errors/unavailable';
import type { Logger } from '../log/logger';

/** Trailing metadata key with the AppError's stable code (`USER.NOT_FOUND`), for callers to branch on. */
export const ERROR_CODE_KEY = 'error-code';
/** Trailing metadata key with the invalid fields, UTF-8 JSON `[{field, message}]` (binary: messages may be any text). */
export const ERROR_FIELDS_KEY = 'error-fields-bin';
/** The code and message of every error that is not an AppError: a bug or an unexpected failure. */
export const INTERNAL_ERROR_CODE = 'INTERNAL';
export const INTERNAL_ERROR_MESSAGE = 'Internal error';

/** The gRPC status of each error kind: the one place that decides it. */
export const GRPC_STATUS_OF_KIND: Readonly<Record<ErrorKind, status>> = {
  invalid: status.INVALID_ARGUMENT,
  unauthenticated: status.UNAUTHENTICATED,
  forbidden: status.PERMISSION_DENIED,
  'not-found': status.NOT_FOUND,
  conflict: status.ALREADY_EXISTS,
  rule: status.FAILED_PRECONDITION,
  'too-large': status.RESOURCE_EXHAUSTED,
  'rate-limited': status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
};

/**
 * The status a failed call answers with. An AppError keeps its safe message and its code (in {@link ERROR_CODE_KEY});
 * anything else answers INTERNAL with a generic message, and only the log sees the real error.
 *
 * @param trailers metadata to add the error keys to (e.g. one already carrying the request id).
 */
export function toGrpcStatus(error: unknown, logger: Logger, trailers = new Metadata()): StatusObject {
  const known = asAppError(error);
  if (!known) {
    logger.error('unexpected error', { error });
    trailers.set(ERROR_CODE_KEY, INTERNAL_ERROR_CODE);
    return { code: status.INTERNAL, details: INTERNAL_ERROR_MESSAGE, metadata: trailers };
  }
  const code = GRPC_STATUS_OF_KIND[known.kind];
  // Client mistakes are routine; a dependency being down is worth a look, with its cause.
  if (known.kind === 'unavailable')
    logger.warn('call failed', { code: known.code, error: known.cause ?? known });
  else logger.info('call failed', { kind: known.kind, code: known.code, message: known.message });
  // Non-binary metadata must be printable ASCII, and grpc-js throws otherwise: never let a code make it throw.
  trailers.set(ERROR_CODE_KEY, known.code.replace(/[^ -~]/g, '?'));
  if (known.fields.length > 0) {
    trailers.set(ERROR_FIELDS_KEY, Buffer.from(JSON.stringify(known.fields), 'utf8'));
  }
  return { code, details: known.message, metadata: trailers };
}
