import type { Metadata } from '@grpc/grpc-js';
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { RPC_GRPC_STATUS_CODE, RPC_METHOD, RPC_SERVICE, RPC_SYSTEM } from './span-attributes';
import { tracer } from './tracer';

/** A gRPC span, and the context the call runs in (the span active). */
export interface GrpcSpan {
  readonly span: Span;
  readonly context: Context;
}

// Text values only: the trace context keys are never `-bin`.
const metadataGetter: TextMapGetter<Metadata> = {
  keys: (metadata) => Object.keys(metadata.getMap()),
  get: (metadata, key) => {
    const [first] = metadata.get(key);
    return typeof first === 'string' ? first : undefined;
  },
};
const metadataSetter: TextMapSetter<Metadata> = {
  set: (metadata, key, value) => {
    metadata.set(key, value);
  },
};

/** `/ecom.user.v1.UserService/GetUser` -> the span name `ecom.user.v1.UserService/GetUser` and its two parts. */
export function rpcOf(path: string): { name: string; service: string; method: string } {
  const name = path.replace(/^\//, '');
  const slash = name.lastIndexOf('/');
  return { name, service: name.slice(0, slash), method: name.slice(slash + 1) };
}

function startGrpcSpan(path: string, kind: SpanKind, parent: Context): GrpcSpan {
  const { name, service, method } = rpcOf(path);
  const span = tracer().startSpan(
    name,
    { kind, attributes: { [RPC_SYSTEM]: 'grpc', [RPC_SERVICE]: service, [RPC_METHOD]: method } },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/** The SERVER span of a call, child of the caller's (metadata `traceparent`, `tracestate`). Never the request. */
export function startGrpcServerSpan(path: string, metadata: Metadata): GrpcSpan {
  return startGrpcSpan(
    path,
    SpanKind.SERVER,
    propagation.extract(context.active(), metadata, metadataGetter),
  );
}

/** The CLIENT span of a call (all its attempts), child of what is active where the call is made. */
export function startGrpcClientSpan(path: string): GrpcSpan {
  return startGrpcSpan(path, SpanKind.CLIENT, context.active());
}

/** Puts the trace context of `spanContext` into an outgoing call's metadata (nothing when tracing is off). */
export function injectTraceContext(spanContext: Context, metadata: Metadata): void {
  propagation.inject(spanContext, metadata, metadataSetter);
}

// Semantic conventions: a server's span is an error for the codes that say the server failed, not the caller.
const SERVER_ERRORS = new Set([2, 4, 12, 13, 14, 15]); // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS

/** Ends a call's span with its gRPC status code (0 is OK). A client's span is an error for any other code. */
export function endGrpcSpan(span: Span, kind: 'server' | 'client', code: number): void {
  span.setAttribute(RPC_GRPC_STATUS_CODE, code);
  if (code !== 0 && (kind === 'client' || SERVER_ERRORS.has(code)))
    span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
