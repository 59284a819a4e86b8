import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type TracerProvider } from '@opentelemetry/sdk-trace';
import { LazySpanExporter } from './lazy-span-exporter';
import { registerTracing } from './register-tracing';
import { traceSampler } from './trace-sampler';
import type { TracingPlan } from './tracing-env';

/**
 * The SDK side of start-tracing.ts, in its own module so that only a function with tracing on loads it (and the SDK
 * modules it imports): start-tracing.ts imports it with `import()`, which esbuild bundles as a module evaluated at
 * that call.
 */
export function startTracingSdk(
  plan: TracingPlan,
  names: { readonly functionName: string; readonly serviceName: string },
): TracerProvider {
  return registerTracing({
    sampler: traceSampler(plan),
    resource: resourceFromAttributes({
      'service.name': plan.serviceName,
      // The service a function belongs to (user, product, order), so a trace view can group its functions.
      'service.namespace': names.serviceName,
      'faas.name': names.functionName,
    }),
    // Batched: spans are exported off the request path, every few seconds or when a batch fills.
    spanProcessor: new BatchSpanProcessor({ exporter: new LazySpanExporter(() => loadExporter(plan)) }),
  });
}

/** The exporter's module (span-exporter.ts), loaded apart from this one: the first export needs it, no answer does. */
async function loadExporter(plan: TracingPlan) {
  const { loadSpanExporter } = await import('./span-exporter');
  return loadSpanExporter(plan);
}
