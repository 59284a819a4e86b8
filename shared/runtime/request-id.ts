import { randomUUID } from 'node:crypto';

/** The caller's request id: an HTTP header and gRPC metadata key; the gateway and the other functions send it. */
export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's id ends up in log lines, in our answer headers and in gRPC trailers: only a short, plain token is
// taken as is, so a caller cannot forge log fields, split headers, or make grpc-js throw on an illegal metadata
// value. One definition for the HTTP and the gRPC runtime, so both keep and refuse the same ids.
// The gateway applies the same rule in Lua (dev/deploy/request-id-guard.ts): change both together.
export const SAFE_ID_MAX_LENGTH = 128;
const SAFE_ID = new RegExp(`^[A-Za-z0-9._:-]{1,${SAFE_ID_MAX_LENGTH}}$`);

/** Whether a caller's id (request id, traceparent) is a token we log and echo as is. */
export function isSafeId(value: string | undefined): value is string {
  return value !== undefined && SAFE_ID.test(value);
}

/** The caller's request id when it is a safe token, else a new UUID. */
export function acceptRequestId(given: string | undefined): string {
  return isSafeId(given) ? given : randomUUID();
}
