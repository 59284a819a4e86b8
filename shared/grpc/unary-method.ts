import { Metadata, status, type handleUnaryCall } from '@grpc/grpc-js';
import { context } from '@opentelemetry/api';
import type { z } from 'zod';
import type { Logger } from '../log/logger';
import type { AuthLevel } from '../runtime/function-definition';
import { authenticate, type PrincipalFor } from './authenticate';
import { REQUEST_ID_KEY, requestIdOf, traceparentOf } from './call-metadata';
import { toGrpcStatus } from './grpc-error-status';
import { parseRequest } from './parse-request';
import type { RequestContext, Verifier } from './request-context';
import { recordRpcCall } from '../metrics/rpc-server-metrics';
import { endGrpcSpan, startGrpcServerSpan } from '../tracing/grpc-spans';

/** How a unary method is written: who may call it, what its request must satisfy, and what it does. */
export interface UnaryMethodSpec<A extends AuthLevel, S extends z.ZodType, Response> {
  readonly auth: A;
  /**
   * Checked after authentication, against the decoded message (camelCase fields, defaults filled in). Prefer plain
   * `z.object` over `.strict()`: a proto message may gain fields that older servers must ignore.
   */
  readonly request: S;
  /** Throws AppError for expected failures; anything else answers INTERNAL. */
  readonly handle: (
    request: z.output<S>,
    context: RequestContext<PrincipalFor<A>>,
  ) => Promise<Response> | Response;
}

/** What a method needs from the server it runs in. */
export interface MethodRuntime {
  /** `/package.Service/Method`, for the log lines. */
  readonly path: string;
  readonly verify: Verifier;
  readonly logger: Logger;
}

/** A unary method with its types closed over, so one service can hold methods of different request types. */
export interface UnaryMethod {
  readonly auth: AuthLevel;
  /** The grpc-js handler of this method. */
  readonly bind: (runtime: MethodRuntime) => handleUnaryCall<unknown, unknown>;
}

/**
 * Declares a unary method. Each call: authenticates per `auth`, validates the request, runs `handle` with a
 * {@link RequestContext}, and answers its result, or the error's gRPC status (mapped by `toGrpcStatus`). The request
 * id goes back in the trailers either way, so a caller can quote it.
 */
export function unary<A extends AuthLevel, S extends z.ZodType, Response>(
  spec: UnaryMethodSpec<A, S, Response>,
): UnaryMethod {
  return {
    auth: spec.auth,
    bind:
      ({ path, verify, logger }) =>
      (call, callback) => {
        const requestId = requestIdOf(call.metadata);
        const traceparent = traceparentOf(call.metadata);
        const log = logger.child({ requestId, method: path, ...(traceparent ? { traceparent } : {}) });
        const trailers = new Metadata();
        trailers.set(REQUEST_ID_KEY, requestId);
        const cancelled = new AbortController();
        call.once('cancelled', () => {
          cancelled.abort();
        });

        const run = async (): Promise<Response> => {
          const principal = await authenticate(spec.auth, call.metadata, verify);
          const request = parseRequest(spec.request, call.request);
          const context = {
            principal,
            requestId,
            logger: log,
            metadata: call.metadata,
            signal: cancelled.signal,
          };
          return spec.handle(request, context);
        };
        const started = performance.now();
        // The call in its SERVER span, active while it runs, so what the method does and logs belongs to it; and measured.
        const { span, context: spanContext } = startGrpcServerSpan(path, call.metadata);
        context.with(spanContext, run).then(
          (response) => {
            log.debug('call ok', { ms: Math.round(performance.now() - started) });
            endGrpcSpan(span, 'server', status.OK);
            recordRpcCall(path, status.OK, started);
            callback(null, response, trailers);
          },
          (error: unknown) => {
            const answer = context.with(spanContext, () => toGrpcStatus(error, log, trailers));
            endGrpcSpan(span, 'server', answer.code);
            recordRpcCall(path, answer.code, started);
            callback(answer);
          },
        );
      },
  };
}
