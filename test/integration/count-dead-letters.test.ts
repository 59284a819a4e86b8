// count-dead-letters, served as its process serves it: each dead letter the KafkaSource delivers (an event of the
// dead-letter topic with Knative's knativeerror* extensions) is kept (dead-letter-replay.test.ts follows what becomes
// of it), and is one point of ecom.events.dead_lettered by type,
// subscriber and status, one log line that says where to find it, and a span in the event's own trace. Metrics and
// tracing are registered in memory here, as start-metrics.ts and start-tracing.ts register them from OTEL_* settings.
import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import test from 'ava';
import { CloudEvent } from 'cloudevents';
import { createLogger } from '../../shared/log/logger';
import { registerTracing } from '../../shared/tracing/register-tracing';
import { startFunctions, type RunningFunctions } from '../support/functions';
import { globalTestMetrics } from '../support/global-test-metrics';
import { postCloudEvent } from '../support/post-cloud-event';
import { dropDatabase } from '../support/sql-fixture';
import { uniqueName } from '../support/unique-name';

const exporter = new InMemorySpanExporter();
registerTracing({ spanProcessor: new SimpleSpanProcessor({ exporter }) });
const telemetry = globalTestMetrics();
test.beforeEach(async () => {
  await telemetry.on();
  exporter.reset();
  logged.length = 0;
});
test.after.always(() => telemetry.off());

const logged: Record<string, unknown>[] = [];
const logger = createLogger('count-dead-letters-test', {
  level: 'info',
  write: (line) => logged.push(JSON.parse(line) as Record<string, unknown>),
});

let functions: RunningFunctions;
// It keeps each letter in the order database: one of this test's own.
const database = uniqueName('test_dead_letters');
test.before(async () => {
  functions = await startFunctions({
    names: ['count-dead-letters'],
    logger,
    env: { MYSQL_DATABASE: database },
  });
});
test.after.always(async () => {
  await functions.close();
  await dropDatabase(database);
});

const EMAIL = 'alice@example.com';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

/** A dead letter as the Knative Kafka broker writes it to the dead-letter topic. */
function deadLetter(extensions: Record<string, string>, type = 'com.ecom.order.placed'): CloudEvent<unknown> {
  return new CloudEvent<unknown>({
    id: randomUUID(),
    type,
    source: '/ecom/order/place-order',
    subject: 'order-1',
    datacontenttype: 'application/json',
    data: { orderId: 'order-1', email: EMAIL },
    ...extensions,
  });
}

test.serial(
  'a dead letter is counted by type, subscriber and status, logged without its data, and traced in its own trace',
  async (t) => {
    const parentSpanId = randomUUID().replaceAll('-', '').slice(0, 16);
    const letter = deadLetter({
      traceparent: `00-${TRACE_ID}-${parentSpanId}-01`,
      knativeerrordest: 'http://capture-payment.ecom.svc.cluster.local',
      knativeerrorcode: '503',
      // The subscriber's last answer: only its problem code is kept.
      knativeerrordata: base64({ code: 'SERVICE.UNAVAILABLE', detail: `no charge for ${EMAIL}` }),
    });
    const response = await postCloudEvent(functions.url('count-dead-letters'), letter);
    t.is(response.status, 204);

    t.deepEqual(await telemetry.points('ecom.events.dead_lettered'), [
      {
        attributes: {
          'cloudevents.event_type': 'com.ecom.order.placed',
          'ecom.dead_letter.subscriber': 'capture-payment',
          'http.response.status_code': 503,
        },
        value: 1,
      },
    ]);
    const line = logged.find((entry) => entry['msg'] === 'dead letter');
    t.like(line, {
      level: 'warn',
      eventId: letter.id,
      eventType: 'com.ecom.order.placed',
      subject: 'order-1',
      subscriber: 'capture-payment',
      status: 503,
      problemCode: 'SERVICE.UNAVAILABLE',
    });
    const spans = exporter.getFinishedSpans();
    const [span, ...others] = spans.filter((finished) => finished.kind === SpanKind.CONSUMER);
    t.deepEqual(others, []);
    // The rest are its statements (the letter kept), in its trace.
    t.true(spans.every((finished) => finished.spanContext().traceId === TRACE_ID));
    t.is(span?.name, 'com.ecom.order.placed dead letter');
    t.is(span?.kind, SpanKind.CONSUMER);
    t.is(span?.spanContext().traceId, TRACE_ID, "the dead-lettered step shows in its order's trace");
    t.is(span?.parentSpanContext?.spanId, parentSpanId);
    t.is(span?.attributes['ecom.dead_letter.subscriber'], 'capture-payment');
    t.false(
      JSON.stringify([logged, spans.map((finished) => finished.attributes)]).includes(EMAIL),
      "never the event's data nor the answer's text",
    );
  },
);

test.serial(
  'a record it cannot place still counts, as _OTHER, with no status when none was answered',
  async (t) => {
    const letter = deadLetter({ knativeerrordest: 'https://hooks.example.com/x' }, 'org.example.thing');
    t.is((await postCloudEvent(functions.url('count-dead-letters'), letter, 'structured')).status, 204);
    t.deepEqual(await telemetry.points('ecom.events.dead_lettered'), [
      {
        attributes: { 'cloudevents.event_type': '_OTHER', 'ecom.dead_letter.subscriber': '_OTHER' },
        value: 1,
      },
    ]);
    t.like(
      logged.find((entry) => entry['msg'] === 'dead letter'),
      { subscriber: 'https://hooks.example.com/x' },
    );
  },
);

test.serial('a request that is no CloudEvent is refused with a problem, and counts nothing', async (t) => {
  const response = await fetch(functions.url('count-dead-letters'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"hello":"world"}',
  });
  t.is(response.status, 400);
  t.is(response.headers.get('content-type'), 'application/problem+json');
  t.like(await response.json(), { code: 'EVENT.INVALID' });
  t.deepEqual(await telemetry.points('ecom.events.dead_lettered'), []);
});
