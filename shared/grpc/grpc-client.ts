import { setTimeout as sleep } from 'node:timers/promises';
import {
  Client,
  credentials,
  Metadata,
  status,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { context, type Context } from '@opentelemetry/api';
import type { Logger } from '../log/logger';
import { endGrpcSpan, injectTraceContext, startGrpcClientSpan } from '../tracing/grpc-spans';
import { REQUEST_ID_KEY, TRACEPARENT_KEY } from './call-metadata';
import { appErrorOfCall, isServiceError } from './grpc-client-error';
import type { LoadedProto } from './load-proto';

export interface GrpcClientOptions {
  readonly proto: LoadedProto;
  /** Fully qualified, e.g. `ecom.user.v1.UserService`. */
  readonly service: string;
  /** `host:port` of the server (plaintext h2c: in the cluster the mesh does TLS). */
  readonly address: string;
  /** Time a call may take, retries included, unless the call says otherwise. Default 2000. */
  readonly deadlineMs?: number;
  readonly retry?: {
    /** Attempts in all, the first included (1: no retry). Default 3. */
    readonly attempts?: number;
    /** Backoff before the first retry; it doubles for each next one. Default 50. */
    readonly initialBackoffMs?: number;
    /** The longest backoff. Default 1000. */
    readonly maxBackoffMs?: number;
  };
  /** Gets retries and the real cause of each `unavailable` failure, which the AppError does not carry in its text. */
  readonly logger?: Logger;
}

/** Per call: what goes into its metadata, and its own deadline or cancellation. */
export interface GrpcCallOptions {
  readonly requestId?: string;
  readonly traceparent?: string;
  /** `Bearer <access token>`, sent as metadata `authorization`. */
  readonly authorization?: string;
  /** Further text metadata (the internal token of service-to-service calls). */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

// The rpc names of a generated `*Definition`: its inherited string index signature dropped, so a typo fails to compile.
type MethodName<D> = keyof { [K in keyof D as string extends K ? never : K]: D[K] } & string;
type RequestOf<M> = M extends { requestSerialize: (value: infer Request) => Buffer } ? Request : never;
type ResponseOf<M> = M extends { responseDeserialize: (bytes: Buffer) => infer Response } ? Response : never;

/** A client of one service, typed by its generated definition (proto/generated). */
export interface GrpcClient<D> {
  /** Calls a unary rpc; rejects with an AppError (see {@link createGrpcClient}). */
  readonly call: <M extends MethodName<D>>(
    method: M,
    request: RequestOf<D[M]>,
    options?: GrpcCallOptions,
  ) => Promise<ResponseOf<D[M]>>;
  /** Closes the channel; calls after this fail. */
  readonly close: () => void;
}

/**
 * A client of `service` at `address`; the channel connects on the first call. Every call has a deadline; one that
 * fails with UNAVAILABLE is retried with exponential backoff and jitter while attempts and its deadline allow.
 * Failures reject with the AppError of {@link appErrorOfCall}: the server's kind, code and fields, or `unavailable`.
 *
 * @example createGrpcClient<UserServiceDefinition>({ proto, service: 'ecom.user.v1.UserService', address })
 */
export function createGrpcClient<D extends ServiceDefinition>(options: GrpcClientOptions): GrpcClient<D> {
  const { service, address } = options;
  const definition: ServiceDefinition = options.proto.client(service).service;
  const { attempts = 3, initialBackoffMs = 50, maxBackoffMs = 1000 } = options.retry ?? {};
  const logger = options.logger?.child({ grpcService: service, address });
  // grpc-js waits a second or more before reconnecting after a refused connection, and fails calls at once meanwhile:
  // reconnecting on the schedule of our retries is what gives a retry a chance against a restarting server.
  const client = new Client(address, credentials.createInsecure(), {
    'grpc.initial_reconnect_backoff_ms': initialBackoffMs,
    'grpc.max_reconnect_backoff_ms': maxBackoffMs,
  });

  const call = async (method: string, request: unknown, callOptions: GrpcCallOptions = {}) => {
    const rpc = definition[method];
    if (rpc === undefined || rpc.requestStream || rpc.responseStream) {
      throw new Error(`${service} has no unary rpc ${method}`);
    }
    // One CLIENT span for the whole call, its retries included; each attempt carries its trace context.
    const { span, context: spanContext } = startGrpcClientSpan(rpc.path);
    return context.with(spanContext, async () => {
      try {
        const response = await callWithRetries(method, rpc, request, callOptions, spanContext);
        endGrpcSpan(span, 'client', status.OK);
        return response;
      } catch (error) {
        endGrpcSpan(span, 'client', statusOfFailure(error));
        throw error;
      }
    });
  };

  const callWithRetries = async (
    method: string,
    rpc: ServiceDefinition[string],
    request: unknown,
    callOptions: GrpcCallOptions,
    spanContext: Context,
  ): Promise<unknown> => {
    // One deadline for the whole call: each attempt gets what is left of it, and no backoff sleeps past it.
    const deadline = Date.now() + (callOptions.deadlineMs ?? options.deadlineMs ?? 2000);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await attemptCall(client, rpc, request, callOptions, deadline, spanContext);
      } catch (error) {
        // Half fixed, half random: clients that failed together do not all come back at the same instant.
        const base = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempt - 1));
        const delayMs = base / 2 + (Math.random() * base) / 2;
        const retry = isServiceError(error) && error.code === status.UNAVAILABLE && attempt < attempts;
        if (!retry || Date.now() + delayMs >= deadline || callOptions.signal?.aborted === true) {
          const failure = appErrorOfCall(error);
          // The caller's error says only "unavailable": the log keeps what really happened.
          if (failure.kind === 'unavailable') logger?.warn('gRPC call failed', { method, attempt, error });
          throw failure;
        }
        logger?.info('gRPC call unavailable, retrying', { method, attempt, delayMs: Math.round(delayMs) });
        // An abort ends the sleep early; the next attempt then fails at once with the abort's reason.
        await sleep(delayMs, undefined, { signal: callOptions.signal }).catch(() => undefined);
      }
    }
  };

  return {
    // The definition's types say what the loader decodes: the one place they meet the untyped grpc-js call.
    call: <M extends MethodName<D>>(method: M, request: RequestOf<D[M]>, callOptions?: GrpcCallOptions) =>
      call(method, request, callOptions) as Promise<ResponseOf<D[M]>>,
    close: () => {
      client.close();
    },
  };
}

/** The gRPC status a call failed with: the server's (the AppError's cause), else UNKNOWN. */
function statusOfFailure(error: unknown): number {
  const cause = error instanceof Error ? error.cause : undefined;
  if (isServiceError(cause)) return cause.code;
  return isServiceError(error) ? error.code : status.UNKNOWN;
}

/** One attempt, cancelled when the caller's signal aborts. */
function attemptCall(
  client: Client,
  rpc: ServiceDefinition[string],
  request: unknown,
  callOptions: GrpcCallOptions,
  deadline: number,
  spanContext: Context,
): Promise<unknown> {
  const { signal } = callOptions;
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const cancel = () => {
      pending.cancel();
    };
    const pending = client.makeUnaryRequest(
      rpc.path,
      rpc.requestSerialize,
      rpc.responseDeserialize,
      request,
      metadataOf(callOptions, spanContext),
      { deadline },
      (error: ServiceError | null, response?: unknown) => {
        signal?.removeEventListener('abort', cancel);
        if (error) reject(error);
        else resolve(response);
      },
    );
    signal?.addEventListener('abort', cancel, { once: true });
  });
}

// A new Metadata for each attempt: grpc-js may add to the one it is given. With tracing on, the call's span context
// replaces the `traceparent` the caller passed on (its own caller's), so the server's span is the client span's child.
function metadataOf(
  { requestId, traceparent, authorization, ...options }: GrpcCallOptions,
  spanContext: Context,
): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
  if (requestId !== undefined) metadata.set(REQUEST_ID_KEY, requestId);
  if (traceparent !== undefined) metadata.set(TRACEPARENT_KEY, traceparent);
  if (authorization !== undefined) metadata.set('authorization', authorization);
  injectTraceContext(spanContext, metadata);
  return metadata;
}
