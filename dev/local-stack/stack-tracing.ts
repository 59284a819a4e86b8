import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { GatewayTracing } from '../gateway/plugins/opentelemetry';

/** Tracing in the local stack: every span to one Zipkin, every request sampled unless a ratio is given. */
export interface StackTracing {
  /** Where spans are posted (Zipkin v2 JSON), e.g. http://127.0.0.1:9411/api/v2/spans. */
  readonly zipkinSpansEndpoint: string;
  /** The share of requests the gateway samples (kong.yml's `sampling_rate`); default 1. A bench sets the cluster's. */
  readonly samplingRatio?: number;
}

/**
 * The functions' OTEL_* settings (shared/tracing reads them), as the cluster's ConfigMaps set the OTLP ones. Metrics
 * stay off, said so here so that an OTEL_METRICS_EXPORTER in the shell does not turn them on: the local stack runs
 * no metrics collector (the cluster's ConfigMaps turn them on).
 */
export function tracingEnv(tracing: StackTracing | undefined): NodeJS.ProcessEnv {
  if (!tracing) return { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' };
  return {
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_TRACES_EXPORTER: 'zipkin',
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: tracing.zipkinSpansEndpoint,
    // The gateway decides (every request here); each function follows its parent, as on the cluster.
    OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  };
}

/**
 * The dev gateway's side: the spans of kong.yml's opentelemetry plugin (service `kong`, as Kong's resource
 * attributes name it), batched to the same Zipkin. Kong sends them to the cluster's collector instead.
 */
export function gatewayTracing(tracing: StackTracing): GatewayTracing & { shutdown(): Promise<void> } {
  const exporter = new ZipkinExporter({ url: tracing.zipkinSpansEndpoint });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'kong', 'service.namespace': 'ecom' }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  return {
    tracer: provider.getTracer('kong'),
    samplingRate: tracing.samplingRatio ?? 1,
    shutdown: () => provider.shutdown(),
  };
}
