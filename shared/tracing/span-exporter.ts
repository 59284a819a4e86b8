import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { TracingPlan } from './tracing-env';

/**
 * The exporter the plan names, with its HTTP client and encoders. In a module of its own, bundled into a file of its
 * own (dev/bundle.ts), that tracing-sdk.ts loads at the first export: seconds after the first answer, never before it.
 */
export async function loadSpanExporter(plan: TracingPlan): Promise<SpanExporter> {
  if (plan.exporter === 'zipkin') {
    const { ZipkinExporter } = await import('@opentelemetry/exporter-zipkin');
    return new ZipkinExporter({ url: plan.endpoint, serviceName: plan.serviceName });
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  return new OTLPTraceExporter({ url: plan.endpoint });
}
