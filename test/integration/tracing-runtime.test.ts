// The runtimes' spans, on a tracer provider registered here with an in-memory exporter (as start-tracing.ts registers
// one from OTEL_* settings): an HTTP request is a SERVER span continuing its caller's trace (`traceparent`), a
// CloudEvent is a CONSUMER span continuing its appender's (the `traceparent` extension), and what is logged while
// they run carries their ids. One process (this file) registers tracing once.
import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import test from 'ava';
import { CloudEvent } from 'cloudevents';
import { z } from 'zod';
import { UserRegistered } from '../../events/user-registered';
import { createLogger } from '../../shared/log/logger';
import { cloudEventHandler, subscribe } from '../../shared/runtime/cloud-event-function';
import { httpRoute } from '../../shared/runtime/function-definition';
import { defineRoute, httpHandler } from '../../shared/runtime/http-function';
import { registerTracing } from '../../shared/tracing/register-tracing';
import { tracer } from '../../shared/tracing/tracer';
import {
  BOOM_ID,
  SECRET_MESSAGE,
  servedUserTestService,
  USER_SERVICE,
} from '../fixtures/grpc/user-test-service';
import { postCloudEvent } from '../support/post-cloud-event';
import { serveFunction, type FunctionUnderTest } from '../support/function-under-test';
import { startFunctions } from '../support/functions';
import { dropDatabase } from '../support/sql-fixture';
import { uniqueName } from '../support/unique-name';
import { userRegisteredEvent } from '../fixtures/user-registered-event';

const exporter = new InMemorySpanExporter();
registerTracing({ spanProcessor: new SimpleSpanProcessor({ exporter }) });

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const parentSpanId = () => randomUUID().replaceAll('-', '').slice(0, 16);
const traceparent = (spanId: string, flags = '01') => `00-${TRACE_ID}-${spanId}-${flags}`;

const logged: Record<string, unknown>[] = [];
const logger = createLogger('tracing-runtime-test', {
  level: 'info',
  write: (line) => logged.push(JSON.parse(line) as Record<string, unknown>),
});

/** The span ended with this parent span id (each test uses its own). */
function spanWithParent(parent: string): ReadableSpan {
  const found = exporter.getFinishedSpans().filter((span) => span.parentSpanContext?.spanId === parent);
  if (found.length !== 1) throw new Error(`${String(found.length)} spans with parent ${parent}`);
  return found[0] as ReadableSpan;
}

const linesOf = (span: ReadableSpan) =>
  logged.filter(
    (line) => line['traceId'] === span.spanContext().traceId && line['spanId'] === span.spanContext().spanId,
  );

let http: FunctionUnderTest;
let events: FunctionUnderTest;
let failEvents = false;
const seen = new Set<string>();
test.before(async () => {
  http = await serveFunction(
    httpHandler({
      logger,
      routes: [
        defineRoute({
          route: httpRoute({
            method: 'GET',
            path: '/v1/things/{id}',
            auth: 'public',
            summary: 'A thing.',
            params: z.object({ id: z.string() }),
            query: z.object({ q: z.string().optional() }),
            responses: { 200: { description: 'The thing.' } },
          }),
          handle: async ({ params, logger: requestLogger }) => {
            await new Promise((resolve) => setTimeout(resolve, 5)); // across a timer, as real work
            requestLogger.info('found the thing', { id: params.id });
            return { status: 200, body: { id: params.id } };
          },
        }),
        defineRoute({
          route: { method: 'GET', path: '/v1/broken', auth: 'public', summary: 'Fails.', responses: {} },
          handle: () => Promise.reject(new Error('connection string mysql://root:secret@db')),
        }),
      ],
    }),
  );
  events = await serveFunction(
    cloudEventHandler({
      logger,
      subscriptions: [
        subscribe({
          event: UserRegistered,
          handle: async (event, { logger: eventLogger }) => {
            await Promise.resolve();
            if (failEvents) throw new Error('database down');
            eventLogger.info('welcoming');
            if (seen.has(event.id)) return 'duplicate';
            seen.add(event.id);
            return 'processed';
          },
        }),
      ],
    }),
  );
});
test.after.always(async () => {
  await http.close();
  await events.close();
});

test.serial(
  'a request is a SERVER span, child of its traceparent, named by its route; logs carry its ids',
  async (t) => {
    const parent = parentSpanId();
    const answer = await fetch(`${http.url}/v1/things/t-1?q=private+words`, {
      headers: { traceparent: traceparent(parent), tracestate: 'shop=1' },
    });
    t.is(answer.status, 200);
    const span = spanWithParent(parent);
    t.is(span.kind, SpanKind.SERVER);
    t.is(span.name, 'GET /v1/things/{id}');
    t.is(span.spanContext().traceId, TRACE_ID);
    t.is(span.spanContext().traceState?.get('shop'), '1', 'tracestate goes on');
    t.deepEqual(span.attributes, {
      'http.request.method': 'GET',
      'url.path': '/v1/things/t-1',
      'http.route': '/v1/things/{id}',
      'http.response.status_code': 200,
    });
    t.is(span.status.code, SpanStatusCode.UNSET);
    t.deepEqual(
      linesOf(span).map((line) => line['msg']),
      ['found the thing', 'request'],
      "the handler's line and the request line",
    );
    t.is(linesOf(span)[1]?.['traceparent'], traceparent(parent), 'the traceparent is still logged');
  },
);

test.serial(
  'a request without trace context starts a trace; an unsampled caller records nothing',
  async (t) => {
    const before = exporter.getFinishedSpans().length;
    t.is((await fetch(`${http.url}/v1/things/t-2`)).status, 200);
    const root = exporter.getFinishedSpans().slice(before);
    t.is(root.length, 1);
    t.is(root[0]?.parentSpanContext, undefined);
    t.not(root[0]?.spanContext().traceId, TRACE_ID);

    const unsampled = parentSpanId();
    t.is(
      (await fetch(`${http.url}/v1/things/t-3`, { headers: { traceparent: traceparent(unsampled, '00') } }))
        .status,
      200,
    );
    t.is(
      exporter.getFinishedSpans().length,
      before + 1,
      'parent-based: not sampled upstream, not recorded here',
    );
    t.false(
      logged.some((line) => line['msg'] === 'found the thing' && 'traceId' in line && line['id'] === 't-3'),
      'and no ids are logged for it',
    );
  },
);

test.serial(
  'a 5xx is an error span that says nothing of the error; an unknown route keeps the method as name',
  async (t) => {
    const failed = parentSpanId();
    t.is(
      (await fetch(`${http.url}/v1/broken`, { headers: { traceparent: traceparent(failed) } })).status,
      500,
    );
    const span = spanWithParent(failed);
    t.is(span.name, 'GET /v1/broken');
    t.is(span.status.code, SpanStatusCode.ERROR);
    t.is(span.attributes['error.type'], '500');
    t.false(JSON.stringify([span.attributes, span.status, span.events]).includes('secret'));

    const unknown = parentSpanId();
    t.is(
      (await fetch(`${http.url}/v1/nowhere?token=abc`, { headers: { traceparent: traceparent(unknown) } }))
        .status,
      404,
    );
    const missed = spanWithParent(unknown);
    t.is(missed.name, 'GET');
    t.is(missed.attributes['http.route'], undefined);
    t.is(missed.attributes['url.path'], '/v1/nowhere');
    t.is(missed.status.code, SpanStatusCode.UNSET);
  },
);

function registered(parent: string): CloudEvent<unknown> {
  return userRegisteredEvent({ attributes: { traceparent: traceparent(parent), tracestate: 'shop=2' } });
}

const deliver = (event: CloudEvent<unknown>, mode: 'binary' | 'structured' = 'binary') =>
  postCloudEvent(events.url, event, mode);

test.serial(
  'a CloudEvent is a CONSUMER span, child of its traceparent extension; a redelivery is marked',
  async (t) => {
    failEvents = false;
    const parent = parentSpanId();
    const event = registered(parent);
    t.is((await deliver(event)).status, 204);
    const [first] = exporter.getFinishedSpans().filter((span) => span.parentSpanContext?.spanId === parent);
    t.truthy(first);
    if (!first) return;
    t.is(first.kind, SpanKind.CONSUMER);
    t.is(first.name, 'com.ecom.user.registered process');
    t.is(first.spanContext().traceId, TRACE_ID);
    t.is(first.spanContext().traceState?.get('shop'), '2');
    t.deepEqual(first.attributes, {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'cloudevents.event_id': event.id,
      'cloudevents.event_type': 'com.ecom.user.registered',
      'ecom.delivery.attempt': 1,
      'ecom.delivery.outcome': 'processed',
    });
    t.deepEqual(
      linesOf(first).map((line) => line['msg']),
      ['welcoming', 'event processed'],
    );

    t.is((await deliver(event, 'structured')).status, 204, 'redelivered (structured mode this time)');
    const spans = exporter.getFinishedSpans().filter((span) => span.parentSpanContext?.spanId === parent);
    t.is(spans.length, 2);
    t.like(spans[1]?.attributes, {
      'ecom.delivery.outcome': 'duplicate',
      'ecom.delivery.duplicate': true,
      'ecom.delivery.retry': true,
    });
  },
);

test.serial(
  'a redelivery after a failure is a span of the same trace, marked as a retry with its attempt number',
  async (t) => {
    const parent = parentSpanId();
    const event = registered(parent);
    failEvents = true;
    t.is((await deliver(event)).status, 500);
    t.is((await deliver(event)).status, 500);
    failEvents = false;
    t.is((await deliver(event)).status, 204);

    const spans = exporter.getFinishedSpans().filter((span) => span.parentSpanContext?.spanId === parent);
    t.deepEqual(
      spans.map((span) => [
        span.spanContext().traceId,
        span.attributes['ecom.delivery.attempt'],
        span.attributes['ecom.delivery.retry'],
        span.attributes['ecom.delivery.outcome'],
        span.status.code,
      ]),
      [
        [TRACE_ID, 1, undefined, 'refused', SpanStatusCode.ERROR],
        [TRACE_ID, 2, true, 'refused', SpanStatusCode.ERROR],
        [TRACE_ID, 3, true, 'processed', SpanStatusCode.UNSET],
      ],
    );
    t.is(new Set(spans.map((span) => span.spanContext().spanId)).size, 3, 'a span per attempt');
  },
);

test.serial(
  'a failed delivery is an error span (retried); an invalid one is refused without error',
  async (t) => {
    failEvents = true;
    const parent = parentSpanId();
    t.is((await deliver(registered(parent))).status, 500);
    const failed = spanWithParent(parent);
    t.is(failed.status.code, SpanStatusCode.ERROR);
    t.like(failed.attributes, { 'ecom.delivery.outcome': 'refused', 'error.type': '500' });
    t.false(JSON.stringify(failed.attributes).includes('ada@example.com'), 'no data in the span');
    failEvents = false;

    const before = exporter.getFinishedSpans().length;
    const invalid = await fetch(events.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    t.is(invalid.status, 400);
    const [refused] = exporter.getFinishedSpans().slice(before);
    t.is(refused?.name, 'cloudevent process', 'no type to name it by');
    t.like(refused?.attributes, { 'ecom.delivery.outcome': 'refused' });
    t.is(refused?.status.code, SpanStatusCode.UNSET);
  },
);

test.serial('a real function (product-query on MariaDB) answers in a span of its caller', async (t) => {
  const database = uniqueName('test_tracing');
  // Teardowns run last first: the function closes, then its database goes.
  t.teardown(() => dropDatabase(database));
  const running = await startFunctions({
    names: ['product-query'],
    env: { MYSQL_DATABASE: database, USER_GRPC_ADDRESS: '127.0.0.1:1' },
    logger,
  });
  t.teardown(() => running.close());
  const parent = parentSpanId();
  const answer = await running.call('GET', '/v1/products?q=garden+hose', {
    headers: { traceparent: traceparent(parent) },
  });
  t.is(answer.status, 200);
  const span = spanWithParent(parent);
  t.is(span.name, 'GET /v1/products');
  t.is(span.attributes['url.path'], '/v1/products');
  t.false(JSON.stringify(span.attributes).includes('garden'), 'the search words stay out');
  t.true(linesOf(span).some((line) => line['msg'] === 'request' && line['status'] === 200));
});

test.serial(
  'a gRPC call is a CLIENT span carrying its context to the SERVER span of the method',
  async (t) => {
    const { client, stop } = await servedUserTestService(logger);
    t.teardown(stop);

    const callIn = (id: string) =>
      tracer().startActiveSpan('caller', async (caller) => {
        // The traceparent a handler passes on is its own caller's: the client span's context replaces it.
        await client
          .call(
            'GetUser',
            { id },
            { authorization: 'Bearer admin-token', traceparent: traceparent(parentSpanId()) },
          )
          .catch(() => undefined);
        caller.end();
        return caller.spanContext();
      });

    const caller = await callIn('u-admin');
    const [clientSpan] = exporter
      .getFinishedSpans()
      .filter((span) => span.parentSpanContext?.spanId === caller.spanId);
    t.truthy(clientSpan);
    if (!clientSpan) return;
    t.is(clientSpan.kind, SpanKind.CLIENT);
    t.is(clientSpan.name, `${USER_SERVICE}/GetUser`);
    t.deepEqual(clientSpan.attributes, {
      'rpc.system': 'grpc',
      'rpc.service': USER_SERVICE,
      'rpc.method': 'GetUser',
      'rpc.grpc.status_code': 0,
    });
    const serverSpan = spanWithParent(clientSpan.spanContext().spanId);
    t.is(serverSpan.kind, SpanKind.SERVER);
    t.is(serverSpan.name, `${USER_SERVICE}/GetUser`);
    t.is(serverSpan.spanContext().traceId, caller.traceId, 'one trace across the call');
    t.is(serverSpan.attributes['rpc.grpc.status_code'], 0);

    const failing = await callIn(BOOM_ID);
    const failedClient = spanWithParent(failing.spanId);
    const failedServer = spanWithParent(failedClient.spanContext().spanId);
    t.is(failedServer.status.code, SpanStatusCode.ERROR);
    t.is(failedServer.attributes['rpc.grpc.status_code'], 13);
    t.is(failedClient.status.code, SpanStatusCode.ERROR);
    t.false(
      JSON.stringify([failedServer, failedClient].map((span) => [span.attributes, span.status])).includes(
        SECRET_MESSAGE,
      ),
    );
    t.true(
      linesOf(failedServer).some((line) => line['msg'] === 'unexpected error'),
      "the server's error line carries the server span's ids",
    );
    t.is(trace.getActiveSpan(), undefined);
  },
);
