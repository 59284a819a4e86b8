// The dev gateway's emulation of Kong's opentelemetry plugin, built from the committed kong/kong.yml: the span it
// records per request, the `traceparent` it hands the function (a child of that span), and that a caller's own trace
// context is neither followed nor passed on.
import { readFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse, type IncomingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import path from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import test from 'ava';
import type { RequestContext } from '../../../dev/gateway/gateway-plugin';
import { parseKongConfig } from '../../../dev/gateway/kong-config';
import { opentelemetryPlugin, type OpentelemetryConfig } from '../../../dev/gateway/plugins/opentelemetry';
import { createRequestContext } from '../../../dev/gateway/request-context';

const KONG_YML = readFileSync(path.resolve(__dirname, '../../../kong/kong.yml'), 'utf8');
const declared = parseKongConfig(KONG_YML, 'kong/kong.yml').plugins.find(
  (plugin) => plugin.name === 'opentelemetry',
);
if (declared?.name !== 'opentelemetry') throw new Error('kong.yml has no global opentelemetry plugin');
const kongConfig: OpentelemetryConfig = declared.config;

/** A tracer of its own per test (ava runs a file's tests concurrently), and what it recorded. */
function recorder() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  return { tracer: provider.getTracer('kong'), spans: () => exporter.getFinishedSpans() };
}
const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function requestContext(headers: IncomingHttpHeaders): RequestContext {
  const req = new IncomingMessage(new Socket());
  req.method = 'POST';
  req.url = '/v1/orders';
  req.headers = headers;
  const served = {
    method: 'POST',
    path: '/v1/orders',
    search: '',
    serviceName: 'place-order',
    routeId: 'place-order',
    expectsContinue: false,
  };
  return createRequestContext(req, new ServerResponse(req), served, () => 0);
}

/** Runs the plugin's access phase and its header filter with `status`; answers the upstream's traceparent. */
async function served(
  config: OpentelemetryConfig,
  headers: IncomingHttpHeaders,
  { status = 201, random = (): number => 0, samplingRate = 1 } = {},
) {
  const { tracer, spans } = recorder();
  const ctx = requestContext(headers);
  const exit = await opentelemetryPlugin(config, { tracer, samplingRate }, random).access(ctx);
  const responseHeaders = {};
  for (const filter of ctx.headerFilters) filter(responseHeaders, { status, source: 'service' });
  return { exit, upstream: ctx.upstreamHeaders['traceparent'], spans: spans() };
}

test("kong.yml's plugin starts every trace at the edge: one SERVER span, whose context the function gets as its parent", async (t) => {
  const { exit, upstream, spans } = await served(kongConfig, {
    traceparent: CALLER,
    tracestate: 'caller=1',
  });
  t.is(exit, undefined);
  t.is(spans.length, 1);
  const [span] = spans;
  if (!span) return;
  t.is(span.kind, SpanKind.SERVER);
  t.is(span.name, 'kong');
  t.is(span.attributes['http.response.status_code'], 201);
  t.is(span.parentSpanContext, undefined, "the caller's trace context is not followed");
  t.is(upstream, `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
});

test("kong.yml's plugin clears the caller's tracestate and replaces its traceparent", async (t) => {
  const ctx = requestContext({ traceparent: CALLER, tracestate: 'caller=1' });
  ctx.upstreamHeaders['traceparent'] = CALLER;
  ctx.upstreamHeaders['tracestate'] = 'caller=1';
  await opentelemetryPlugin(kongConfig, { tracer: recorder().tracer, samplingRate: 1 }).access(ctx);
  t.false('tracestate' in ctx.upstreamHeaders);
  t.not(ctx.upstreamHeaders['traceparent'], CALLER);
});

test('a request not sampled records no span, and still passes a fresh, unsampled traceparent on', async (t) => {
  const { upstream, spans } = await served(kongConfig, {}, { random: () => 0.5, samplingRate: 0.1 });
  t.deepEqual(spans, []);
  t.regex(String(upstream), /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
});

test('with tracing off (Kong without instrumentations) it only propagates: fresh ids, not sampled', async (t) => {
  const ctx = requestContext({ traceparent: CALLER });
  await opentelemetryPlugin(kongConfig, undefined).access(ctx);
  const upstream = String(ctx.upstreamHeaders['traceparent']);
  t.regex(upstream, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  t.false(upstream.includes('0af7651916cd43dd8448eb211c80319c'));
});

test('with w3c extraction configured, the caller is the parent and its sampling decision is kept', async (t) => {
  const follow = {
    ...kongConfig,
    propagation: { ...kongConfig.propagation, extract: ['w3c' as const], clear: [] },
  };
  const { spans } = await served(follow, { traceparent: CALLER });
  t.is(spans[0]?.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
  t.is(spans[0]?.parentSpanContext?.spanId, 'b7ad6b7169203331');
});

test('a 5xx answer marks the span as an error', async (t) => {
  const { spans } = await served(kongConfig, {}, { status: 502 });
  t.is(spans[0]?.status.code, SpanStatusCode.ERROR);
});
