import { randomUUID } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';

/** Metadata key of the caller's request id; the gateway and the other functions propagate it. */
export const REQUEST_ID_KEY = 'x-request-id';
/** W3C trace context, logged so a call can be found from its trace. */
export const TRACEPARENT_KEY = 'traceparent';

// Ids end up in log lines and in our own trailers: accept only short, plain tokens, so a caller cannot forge log
// fields or make grpc-js throw on an illegal metadata value.
const SAFE_ID = /^[\w.:-]{1,128}$/;

/** The first text value of a metadata key (binary `-bin` values and absent keys give undefined). */
export function metadataText(metadata: Metadata, key: string): string | undefined {
  const [first] = metadata.get(key);
  return typeof first === 'string' ? first : undefined;
}

/** The caller's `x-request-id` when it is a safe token, else a new UUID. */
export function requestIdOf(metadata: Metadata): string {
  const given = metadataText(metadata, REQUEST_ID_KEY);
  return given !== undefined && SAFE_ID.test(given) ? given : randomUUID();
}

/** The caller's `traceparent` when it is a safe token. */
export function traceparentOf(metadata: Metadata): string | undefined {
  const given = metadataText(metadata, TRACEPARENT_KEY);
  return given !== undefined && SAFE_ID.test(given) ? given : undefined;
}
