// The trace context of the outbox's events (CloudEvents distributed-tracing extension): what `outbox append`
// stamps, what the publish spans look like, and the wire headers on both transports.
import test from 'ava';
import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { HTTP } from 'cloudevents';
import type { DomainEvent, NewDomainEvent } from '../../shared/domain/domain-event';
import { toKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import { toCloudEvent } from '../../shared/messaging/domain-cloud-event';
import { inAppendSpan, publishTraced } from '../../shared/outbox/outbox-tracing';
import { ERROR_TYPE } from '../../shared/tracing/span-attributes';
import { globalTestTracing } from '../support/global-test-tracing';

const tracing = globalTestTracing();
const { exporter } = tracing;
const tracingOn = tracing.on;
const tracingOff = tracing.off;
test.after.always(tracing.end);

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const event = (more: Partial<DomainEvent> = {}): DomainEvent => ({
  id: 'e1',
  type: 'com.ecom.order.noted',
  source: '/ecom/order/publisher',
  subject: 'order-1',
  partitionKey: 'order-1',
  time: new Date(0),
  data: {},
  ...more,
});
const stampedBy = (events: readonly NewDomainEvent[]) =>
  inAppendSpan(events, (stamped) => Promise.resolve(stamped));

test('traceparent and tracestate go on the wire as ce_ Kafka headers and ce- HTTP headers; a lone tracestate does not', (t) => {
  const traced = event({ traceparent: TRACEPARENT, tracestate: 'vendor=opaque' });
  t.like(toKafkaRecord(traced).headers, { ce_traceparent: TRACEPARENT, ce_tracestate: 'vendor=opaque' });
  t.like(HTTP.binary(toCloudEvent(traced)).headers, {
    'ce-traceparent': TRACEPARENT,
    'ce-tracestate': 'vendor=opaque',
  });
  const headers = toKafkaRecord(event({ tracestate: 'vendor=opaque' })).headers;
  t.false('ce_tracestate' in headers || 'ce_traceparent' in headers);
});

test.serial('with tracing off, append stamps nothing and keeps what the producer set', async (t) => {
  const [plain, explicit] = await stampedBy([event(), event({ traceparent: TRACEPARENT })]);
  t.is(plain?.traceparent, undefined);
  t.is(explicit?.traceparent, TRACEPARENT);
});

test.serial(
  'with tracing on, append stamps its span, keeps an explicit context, and drops a lone tracestate',
  async (t) => {
    tracingOn();
    t.teardown(tracingOff);
    const [plain, explicit, lone] = await stampedBy([
      event(),
      event({ traceparent: TRACEPARENT, tracestate: 'mine=1' }),
      event({ tracestate: 'stale=1' }),
    ]);
    const [append] = exporter.getFinishedSpans();
    t.is(append?.name, 'outbox append');
    const own = `00-${append?.spanContext().traceId}-${append?.spanContext().spanId}-01`;
    t.is(plain?.traceparent, own);
    t.is(plain?.tracestate, undefined);
    t.like(explicit, { traceparent: TRACEPARENT, tracestate: 'mine=1' });
    t.is(lone?.traceparent, own);
    t.is(lone?.tracestate, undefined);
  },
);

test.serial('a failed append or publish marks its spans as errors', async (t) => {
  tracingOn();
  t.teardown(tracingOff);
  await t.throwsAsync(inAppendSpan([event()], () => Promise.reject(new Error('insert failed'))));
  const failing = {
    publish: () => Promise.reject(new Error('Kafka is down')),
    close: () => Promise.resolve(),
  };
  const events = [
    event({ traceparent: TRACEPARENT }),
    event({ id: 'e2', traceparent: TRACEPARENT }),
    event({ id: 'e3', type: 'com.ecom.order.changed' }),
  ];
  await t.throwsAsync(publishTraced(failing, events), { message: 'Kafka is down' });
  const spans = exporter.getFinishedSpans();
  t.deepEqual(spans.map((span) => [span.name, span.status.code]).sort(), [
    ['com.ecom.order.changed publish', SpanStatusCode.ERROR],
    ['com.ecom.order.noted publish', SpanStatusCode.ERROR],
    ['outbox append', SpanStatusCode.ERROR],
  ]);
  const noted = spans.find((span) => span.name === 'com.ecom.order.noted publish');
  t.is(noted?.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
  t.is(noted?.attributes['messaging.batch.message_count'], 2);
});

/** Every string a span carries: attribute values, status message, events (names and attributes), links' attributes. */
function spanTexts(span: ReadableSpan): string[] {
  const values = (attributes: Attributes | undefined) =>
    Object.values(attributes ?? {}).flatMap((value) => (Array.isArray(value) ? value : [value]).map(String));
  return [
    span.name,
    span.status.message ?? '',
    ...values(span.attributes),
    ...span.events.flatMap((spanEvent) => [spanEvent.name, ...values(spanEvent.attributes)]),
    ...span.links.flatMap((link) => values(link.attributes)),
  ];
}

test.serial(
  "a failed append or publish records the error's class, never its message (which may quote a value)",
  async (t) => {
    tracingOn();
    t.teardown(tracingOff);
    class DuplicateRowError extends Error {
      override name = 'DuplicateRowError';
    }
    const secret = 'alice@example.com';
    await t.throwsAsync(
      inAppendSpan([event()], () =>
        Promise.reject(new DuplicateRowError(`Duplicate entry '${secret}' for key 'users_email'`)),
      ),
    );
    const failing = {
      publish: () => Promise.reject(new TypeError(`Connection error: connect ECONNREFUSED ${secret}:9092`)),
      close: () => Promise.resolve(),
    };
    await t.throwsAsync(publishTraced(failing, [event({ traceparent: TRACEPARENT })]));
    // Not even an Error: its class is unknown.
    await t.throwsAsync(
      inAppendSpan([event()], () => Promise.reject(secret as unknown as Error)),
      { any: true },
    );
    const spans = exporter.getFinishedSpans();
    t.deepEqual(
      spans.map((span) => [span.name, span.status.code, span.attributes[ERROR_TYPE]]),
      [
        ['outbox append', SpanStatusCode.ERROR, 'DuplicateRowError'],
        ['com.ecom.order.noted publish', SpanStatusCode.ERROR, 'TypeError'],
        ['outbox append', SpanStatusCode.ERROR, 'unknown'],
      ],
    );
    for (const span of spans) {
      t.is(span.status.message, undefined, span.name);
      t.deepEqual(span.events, [], `${span.name}: no exception event`);
      t.false(
        spanTexts(span).some((text) => text.includes(secret) || text.includes('Duplicate entry')),
        span.name,
      );
    }
  },
);
