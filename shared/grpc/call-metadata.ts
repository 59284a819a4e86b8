import type { Metadata } from '@grpc/grpc-js';
import { acceptRequestId, isSafeId, REQUEST_ID_HEADER } from '../runtime/request-id';

/** Metadata key of the caller's request id; the gateway and the other functions propagate it. */
export const REQUEST_ID_KEY = REQUEST_ID_HEADER;
/** W3C trace context, logged so a call can be found from its trace. */
export const TRACEPARENT_KEY = 'traceparent';

/** The first text value of a metadata key (binary `-bin` values and absent keys give undefined). */
export function metadataText(metadata: Metadata, key: string): string | undefined {
  const [first] = metadata.get(key);
  return typeof first === 'string' ? first : undefined;
}

/** The caller's `x-request-id` when it is a safe token (shared/runtime/request-id.ts), else a new UUID. */
export function requestIdOf(metadata: Metadata): string {
  return acceptRequestId(metadataText(metadata, REQUEST_ID_KEY));
}

/** The caller's `traceparent` when it is a safe token. */
export function traceparentOf(metadata: Metadata): string | undefined {
  const given = metadataText(metadata, TRACEPARENT_KEY);
  return isSafeId(given) ? given : undefined;
}
