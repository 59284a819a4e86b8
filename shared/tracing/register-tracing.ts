import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { TracerProvider, type Sampler, type SpanProcessor } from '@opentelemetry/sdk-trace';

export interface TracingRegistration {
  readonly spanProcessor: SpanProcessor;
  /** Default: the SDK's (parent-based, always on). */
  readonly sampler?: Sampler;
  readonly resource?: Resource;
}

/**
 * Makes the process trace: a TracerProvider behind the API's global tracer, AsyncLocalStorage to carry the active
 * span across awaits, and W3C trace context (`traceparent`, `tracestate`) as the global propagator, which the HTTP,
 * CloudEvent and gRPC runtimes extract from and inject into. start-tracing.ts calls it from OTEL_* settings; a test
 * calls it with an in-memory exporter. Once per process: the API refuses a second global provider.
 */
export function registerTracing(registration: TracingRegistration): TracerProvider {
  const provider = new TracerProvider({
    spanProcessors: [registration.spanProcessor],
    ...(registration.sampler ? { sampler: registration.sampler } : {}),
    ...(registration.resource ? { resource: registration.resource } : {}),
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return provider;
}
