import type { Metadata } from '@grpc/grpc-js';
import type { Logger } from '../log/logger';

/** Who is calling: the subject, role and session of a verified access token. */
export interface Principal {
  readonly userId: string;
  readonly role: 'customer' | 'admin';
  readonly sessionId: string;
}

/**
 * Turns the `authorization` metadata value (`Bearer <token>`, or undefined when absent) into a principal, or throws
 * an AppError of kind `unauthenticated` (any other error answers INTERNAL). The JWT verifier of shared/auth fits;
 * it is injected so that this runtime stays free of key handling and tests can fake it.
 */
export type Verifier = (
  authorizationHeader: string | undefined,
  level: 'authenticated' | 'admin',
) => Promise<Principal> | Principal;

/** What a method handler gets besides its request. */
export interface RequestContext<P extends Principal | undefined = Principal> {
  /** The caller; undefined for public methods, which do not authenticate. */
  readonly principal: P;
  /** From metadata `x-request-id` when well-formed, else a new UUID; echoed in the trailers. */
  readonly requestId: string;
  /** Logs with the request id, method and traceparent on every line. */
  readonly logger: Logger;
  /** The call's metadata as received (authorization included: never log it whole). */
  readonly metadata: Metadata;
  /** Aborted when the caller cancels or its deadline passes: hand it to queries that accept one. */
  readonly signal: AbortSignal;
}
