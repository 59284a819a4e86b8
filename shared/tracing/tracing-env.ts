import { z } from 'zod';

/**
 * The standard OpenTelemetry SDK variables we honour for traces (the names and values of the OpenTelemetry
 * specification's "Environment Variable Specification"), parsed once at start like every other setting: a bad value
 * stops the process with a clear message (shared/config/load-config.ts).
 */

/** A key that is present but empty means "not set", as for our other settings, so an operator can blank a value. */
export const unsetWhenEmpty = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
/** The specification spells enum values in lower case and asks implementations to accept any case. */
export const lowerCase = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : undefined;

export const TRACES_EXPORTERS = ['none', 'zipkin', 'otlp'] as const;
export type TracesExporter = (typeof TRACES_EXPORTERS)[number];

export const TRACES_SAMPLERS = [
  'parentbased_traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'traceidratio',
  'always_on',
  'always_off',
] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

/** A collector's URL (shared by the metrics settings, shared/metrics/metrics-env.ts). */
export const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

export const TracingEnv = z.object({
  /** `true` turns the SDK off whatever else is set (the specification's kill switch). */
  OTEL_SDK_DISABLED: z.preprocess(lowerCase, z.enum(['true', 'false']).default('false')),
  /**
   * Where spans go. Deliberate deviation from the specification, whose default is `otlp`: unset means `none`, so a
   * function traces only where an operator names a collector, and a cold start without one loads no SDK at all.
   */
  OTEL_TRACES_EXPORTER: z.preprocess(lowerCase, z.enum(TRACES_EXPORTERS).default('none')),
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: z.preprocess(
    unsetWhenEmpty,
    httpUrl.default('http://localhost:9411/api/v2/spans'),
  ),
  /** The collector's base URL; traces go to `<base>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(unsetWhenEmpty, httpUrl.optional()),
  /** The full traces URL, taken as it is; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.preprocess(unsetWhenEmpty, httpUrl.optional()),
  /** Parent-based by default, so a sampled caller's trace is kept whole across functions. */
  OTEL_TRACES_SAMPLER: z.preprocess(lowerCase, z.enum(TRACES_SAMPLERS).default('parentbased_traceidratio')),
  /** The ratio of the `*traceidratio` samplers, in [0, 1]. */
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(unsetWhenEmpty, z.coerce.number().min(0).max(1).default(1)),
  /** Default: the function's name (set by the caller of {@link tracingPlan}). */
  OTEL_SERVICE_NAME: z.preprocess(unsetWhenEmpty, z.string().optional()),
});
export type TracingEnv = z.infer<typeof TracingEnv>;

/** What to start when tracing is on; undefined means off. */
export interface TracingPlan {
  readonly exporter: Exclude<TracesExporter, 'none'>;
  /** The URL spans are sent to. */
  readonly endpoint: string;
  readonly sampler: TracesSampler;
  readonly ratio: number;
  /** The resource's `service.name`. */
  readonly serviceName: string;
}

const OTLP_DEFAULT_BASE = 'http://localhost:4318';

/**
 * Where OTLP/HTTP sends one signal: its own endpoint variable, taken as it is, else the collector's base URL
 * (OTEL_EXPORTER_OTLP_ENDPOINT, the specification's default when unset) with `/v1/<signal>`.
 */
export function otlpEndpoint(
  env: { readonly OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined },
  signalEndpoint: string | undefined,
  signal: 'traces' | 'metrics',
): string {
  return (
    signalEndpoint ??
    `${(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? OTLP_DEFAULT_BASE).replace(/\/+$/, '')}/v1/${signal}`
  );
}

/** The decision, kept apart from the SDK so it is cheap and testable: off unless an exporter is named. */
export function tracingPlan(env: TracingEnv, functionName: string): TracingPlan | undefined {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const endpoint =
    env.OTEL_TRACES_EXPORTER === 'zipkin'
      ? env.OTEL_EXPORTER_ZIPKIN_ENDPOINT
      : otlpEndpoint(env, env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, 'traces');
  return {
    exporter: env.OTEL_TRACES_EXPORTER,
    endpoint,
    sampler: env.OTEL_TRACES_SAMPLER,
    ratio: env.OTEL_TRACES_SAMPLER_ARG,
    serviceName: env.OTEL_SERVICE_NAME ?? functionName,
  };
}
