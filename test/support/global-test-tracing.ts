import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/**
 * Tracing as a function registers it when on (global provider, context manager, W3C propagator), recording into
 * memory. It is global state: a file's tests that use it run one at a time, each turning it on or off.
 */
export function globalTestTracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const contextManager = new AsyncLocalStorageContextManager();
  const off = () => {
    trace.disable();
    propagation.disable();
    context.disable();
    exporter.reset();
  };
  return {
    exporter,
    on: () => {
      context.setGlobalContextManager(contextManager.enable());
      trace.setGlobalTracerProvider(provider);
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    },
    off,
    /** For test.after.always: off, and the provider shut down. */
    end: async () => {
      off();
      await provider.shutdown();
    },
  };
}
