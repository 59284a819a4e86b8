import { randomBytes } from 'node:crypto';
import {
  context,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { z } from 'zod';
import type { GatewayPlugin } from '../gateway-plugin';

/** The header formats Kong's propagation options name; the dev gateway reads and writes W3C trace context only. */
const Format = z.enum(['w3c']);

/**
 * Kong 3.9's opentelemetry config, the fields the dev gateway acts on and those it accepts as Kong does. Spans go
 * where the local stack's tracer provider sends them (its OTEL_* settings, Zipkin locally), not to
 * `traces_endpoint`, the cluster's collector.
 */
export const OpentelemetryConfig = z.strictObject({
  traces_endpoint: z.url(),
  logs_endpoint: z.url().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  resource_attributes: z.record(z.string(), z.string()).optional(),
  queue: z.record(z.string(), z.unknown()).optional(),
  connect_timeout: z.number().int().positive().default(1000),
  send_timeout: z.number().int().positive().default(5000),
  read_timeout: z.number().int().positive().default(5000),
  http_response_header_for_traceid: z.string().min(1).optional(),
  sampling_rate: z.number().min(0).max(1).optional(),
  propagation: z
    .strictObject({
      extract: z.array(Format).optional(),
      clear: z.array(z.string().min(1)).optional(),
      inject: z.array(z.union([Format, z.literal('preserve')])).optional(),
      default_format: Format,
    })
    .prefault({ default_format: 'w3c' }),
});
export type OpentelemetryConfig = z.infer<typeof OpentelemetryConfig>;

/**
 * The local stack's tracing for the plugin: its tracer (exporting to Zipkin) and the share of requests to sample,
 * which replaces kong.yml's `sampling_rate` (the cluster's) so that every local request is traced.
 */
export interface GatewayTracing {
  readonly tracer: Tracer;
  readonly samplingRate: number;
}

/** Kong priority 14: after authentication, so a refused request still gets its span (Kong's request span is global). */
const PRIORITY = 14;

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Kong's opentelemetry plugin, as kong.yml configures it: a SERVER span per request (named `kong`, Kong's root
 * span), sampled at `sampling_rate` (the local stack's rate here), whose context goes upstream as `traceparent`, so a function's span is its
 * child. With `extract` empty a caller's context is not followed; `clear` drops the caller's headers first. With
 * tracing off it still propagates, as Kong does: fresh ids, not sampled. The span
 * ends when the answer's headers go out (Kong ends it at its log phase, after the body).
 */
export function opentelemetryPlugin(
  config: OpentelemetryConfig,
  tracing: GatewayTracing | undefined,
  random: () => number = Math.random,
): GatewayPlugin {
  const extract = config.propagation.extract ?? [];
  const inject = config.propagation.inject ?? ['preserve'];
  // No tracer: Kong with tracing_instrumentations off, which propagates and samples nothing.
  const tracer = tracing?.tracer;
  const ratio = tracing ? tracing.samplingRate : 0;
  return {
    name: 'opentelemetry',
    priority: PRIORITY,
    access(ctx) {
      const incoming = extract.includes('w3c') ? parentOf(ctx.req.headers.traceparent) : undefined;
      for (const name of config.propagation.clear ?? []) {
        Reflect.deleteProperty(ctx.upstreamHeaders, name.toLowerCase());
      }
      const sampled =
        tracer !== undefined &&
        (incoming ? (incoming.traceFlags & TraceFlags.SAMPLED) !== 0 : random() < ratio);
      const parent = incoming ? trace.setSpanContext(context.active(), incoming) : context.active();
      const span: Span | undefined = sampled
        ? tracer.startSpan(
            'kong',
            {
              kind: SpanKind.SERVER,
              attributes: {
                'http.request.method': ctx.method,
                'url.path': ctx.path,
                'ecom.gateway.service': ctx.serviceName,
              },
            },
            parent,
          )
        : undefined;
      const spanContext = span?.spanContext();
      const traceparent =
        spanContext && isSpanContextValid(spanContext)
          ? `00-${spanContext.traceId}-${spanContext.spanId}-0${String(spanContext.traceFlags & 1)}`
          : `00-${incoming?.traceId ?? randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;
      if (inject.length > 0) ctx.upstreamHeaders['traceparent'] = traceparent;
      ctx.headerFilters.push((headers, response) => {
        if (config.http_response_header_for_traceid) {
          headers[config.http_response_header_for_traceid.toLowerCase()] = traceparent.slice(3, 35);
        }
        if (!span) return;
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      return undefined;
    },
  };
}

/** A valid W3C `traceparent` as a remote span context; anything else is no parent. */
function parentOf(header: string | string[] | undefined) {
  const match = typeof header === 'string' ? TRACEPARENT.exec(header) : null;
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  const spanContext = {
    traceId: match[1],
    spanId: match[2],
    traceFlags: Number.parseInt(match[3], 16),
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}
