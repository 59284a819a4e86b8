import { z } from 'zod';
import { httpUrl, lowerCase, otlpEndpoint, TracingEnv, unsetWhenEmpty } from '../tracing/tracing-env';

/**
 * The standard OpenTelemetry SDK variables we honour for metrics (the specification's "Environment Variable
 * Specification"), parsed once at start like every other setting. The variables traces read too
 * (OTEL_SDK_DISABLED, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME) are the very fields of TracingEnv, so both
 * read them alike.
 */

export const METRICS_EXPORTERS = ['none', 'otlp'] as const;
export type MetricsExporter = (typeof METRICS_EXPORTERS)[number];

export const MetricsEnv = z.object({
  OTEL_SDK_DISABLED: TracingEnv.shape.OTEL_SDK_DISABLED,
  /**
   * Where metrics go. As for traces, and against the specification's default (`otlp`): unset means `none`, so a
   * function exports metrics only where an operator names a collector, and a cold start without one loads no SDK.
   */
  OTEL_METRICS_EXPORTER: z.preprocess(lowerCase, z.enum(METRICS_EXPORTERS).default('none')),
  /** The collector's base URL; metrics go to `<base>/v1/metrics`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: TracingEnv.shape.OTEL_EXPORTER_OTLP_ENDPOINT,
  /** The full metrics URL, taken as it is; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: z.preprocess(unsetWhenEmpty, httpUrl.optional()),
  /** Milliseconds between two exports (the specification's default, one minute). */
  OTEL_METRIC_EXPORT_INTERVAL: z.preprocess(
    unsetWhenEmpty,
    z.coerce.number().int().positive().default(60_000),
  ),
  /** Default: the function's name (set by the caller of {@link metricsPlan}). */
  OTEL_SERVICE_NAME: TracingEnv.shape.OTEL_SERVICE_NAME,
});
export type MetricsEnv = z.infer<typeof MetricsEnv>;

/** What to start when metrics are on; undefined means off. */
export interface MetricsPlan {
  /** The URL metrics are posted to (OTLP/HTTP, JSON). */
  readonly endpoint: string;
  readonly intervalMs: number;
  /** The resource's `service.name`. */
  readonly serviceName: string;
}

/** The decision, kept apart from the SDK so it is cheap and testable: off unless the exporter is named. */
export function metricsPlan(env: MetricsEnv, functionName: string): MetricsPlan | undefined {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_METRICS_EXPORTER === 'none') return undefined;
  return {
    endpoint: otlpEndpoint(env, env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, 'metrics'),
    intervalMs: env.OTEL_METRIC_EXPORT_INTERVAL,
    serviceName: env.OTEL_SERVICE_NAME ?? functionName,
  };
}
