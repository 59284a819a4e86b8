// The trace context crosses Kafka inside each event (CloudEvents distributed-tracing extension, binary mode:
// `ce_traceparent` / `ce_tracestate` headers): the kit's outbox appends in an `outbox append` span and stamps each
// event with it, and the publish is a `<type> publish` span in the same trace. On real MariaDB and Kafka.
import test, { type ExecutionContext } from 'ava';
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';
import type { NewDomainEvent } from '../../shared/domain/domain-event';
import { outboxPublisher } from '../../shared/kit/outbox';
import { createLogger } from '../../shared/log/logger';
import { kafkaEventSink } from '../../shared/messaging/kafka-event-sink';
import { appendToOutbox } from '../../shared/outbox/append-to-outbox';
import { outboxMigrations } from '../../shared/outbox/outbox-migration';
import { relayOutbox } from '../../shared/outbox/relay-outbox';
import { inTransaction } from '../../shared/sql/in-transaction';
import { migrate } from '../../shared/sql/migrate';
import { ERROR_TYPE } from '../../shared/tracing/span-attributes';
import { createTopic, readRecords, testKafka } from '../support/kafka-fixture';
import { sqlFixture } from '../support/sql-fixture';
import { globalTestTracing } from '../support/global-test-tracing';

const logger = createLogger('trace-propagation-test', { level: 'silent' });
const TYPE = 'com.ecom.order.noted';
const SOURCE = '/ecom/order/publisher';
const declared = { functionName: 'publisher', source: SOURCE, types: new Set([TYPE]), replays: false };
const event = (subject: string, more: Partial<NewDomainEvent> = {}): NewDomainEvent => ({
  type: TYPE,
  source: SOURCE,
  subject,
  partitionKey: subject,
  data: { subject },
  ...more,
});
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

// Tracing is global state: the tests run one at a time, each turning it on or off.
const tracing = globalTestTracing();
const { exporter } = tracing;
const tracingOn = tracing.on;
const tracingOff = tracing.off;
test.after.always(tracing.end);

const header = (headers: IHeaders, name: string) => headers[name]?.toString();

/** The kit's outbox of a fresh MariaDB database, publishing to a topic of its own, and a reader of that topic. */
async function outboxOnKafka(t: ExecutionContext) {
  const db = await sqlFixture('mysql', 'test_trace_propagation');
  t.teardown(() => db.drop());
  await migrate(db.sequelize, outboxMigrations);
  const kafka = testKafka();
  const topic = await createTopic(kafka, 'traces');
  const sink = kafkaEventSink(kafka, topic);
  t.teardown(() => sink.close());
  const outbox = outboxPublisher({
    sequelize: db.sequelize,
    sink: () => Promise.resolve(sink),
    logger,
    declared,
  });
  return {
    sequelize: db.sequelize,
    sink,
    outbox,
    /** The records' headers by subject, once `count` records arrived. */
    headers: async (count: number) => {
      const records = await readRecords(kafka, topic, count);
      return new Map(records.map((record) => [record.key, record.headers]));
    },
  };
}

test.serial(
  'an event appended in a span carries the append span as its parent; the publish is in the trace',
  async (t) => {
    t.timeout(60_000);
    tracingOn();
    t.teardown(tracingOff);
    const { sequelize, outbox, headers } = await outboxOnKafka(t);
    // A request span whose trace has a tracestate, as an incoming request with one would give.
    const incoming = propagation.extract(ROOT_CONTEXT, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=opaque',
    });
    const tracer = trace.getTracer('test');
    const traceId = await tracer.startActiveSpan('POST /v1/orders', {}, incoming, async (request) => {
      await inTransaction(sequelize, (transaction) =>
        outbox.append(transaction, [event('order-1'), event('order-2')]),
      );
      request.end();
      return request.spanContext().traceId;
    });
    const received = await headers(2);
    await outbox.settle();

    const spans = exporter.getFinishedSpans();
    const append = spans.find((span) => span.name === 'outbox append');
    if (!append) return t.fail('no outbox append span');
    t.is(append.spanContext().traceId, traceId);
    t.is(append.kind, SpanKind.PRODUCER);
    t.deepEqual(append.attributes['ecom.event.types'], [TYPE]);
    t.is(append.attributes['messaging.batch.message_count'], 2);
    t.false(Object.keys(append.attributes).some((name) => name.includes('data')));
    for (const subject of ['order-1', 'order-2']) {
      const recordHeaders = received.get(subject) ?? {};
      const [, recordTrace, parentSpan] =
        TRACEPARENT.exec(header(recordHeaders, 'ce_traceparent') ?? '') ?? [];
      t.is(recordTrace, traceId, subject);
      t.is(parentSpan, append.spanContext().spanId, subject);
      t.is(header(recordHeaders, 'ce_tracestate'), 'vendor=opaque', subject);
    }
    const publish = spans.filter((span) => span.name === `${TYPE} publish`);
    t.is(publish.length, 1); // both events share type and trace context: one span for the pair
    t.is(publish[0]?.kind, SpanKind.PRODUCER);
    t.is(publish[0]?.spanContext().traceId, traceId);
    t.is(publish[0]?.parentSpanContext?.spanId, append.spanContext().spanId);
    t.is(publish[0]?.attributes['messaging.batch.message_count'], 2);
  },
);

test.serial(
  'the relay publishes a left-behind event in its own trace, linked to the relay run, with its tracestate',
  async (t) => {
    t.timeout(60_000);
    tracingOn();
    t.teardown(tracingOff);
    const { sequelize, sink, headers } = await outboxOnKafka(t);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const tracestate = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE';
    await inTransaction(sequelize, (transaction) =>
      appendToOutbox(sequelize, transaction, [event('left-behind', { traceparent, tracestate })]),
    );
    const run = await trace.getTracer('test').startActiveSpan('relay run', async (span) => {
      await relayOutbox({ sequelize, sink });
      span.end();
      return span.spanContext();
    });
    // Read back from its row, the event carries its whole trace context (the distributed-tracing extension).
    const received = (await headers(1)).get('left-behind') ?? {};
    t.is(header(received, 'ce_traceparent'), traceparent);
    t.is(header(received, 'ce_tracestate'), tracestate);
    const publish = exporter.getFinishedSpans().find((span) => span.name === `${TYPE} publish`);
    t.is(publish?.spanContext().traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    t.is(publish?.parentSpanContext?.spanId, '00f067aa0ba902b7');
    t.is(
      publish?.spanContext().traceState?.serialize(),
      tracestate,
      'the publish span continues the tracestate',
    );
    t.deepEqual(
      publish?.links.map((link) => link.context.spanId),
      [run.spanId],
    );
  },
);

test.serial('with tracing off nothing is stamped, and an explicit traceparent is kept', async (t) => {
  t.timeout(60_000);
  const { sequelize, outbox, headers } = await outboxOnKafka(t);
  const explicit = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  await inTransaction(sequelize, (transaction) =>
    outbox.append(transaction, [event('plain'), event('explicit', { traceparent: explicit })]),
  );
  const received = await headers(2);
  await outbox.settle();
  t.is(header(received.get('plain') ?? {}, 'ce_traceparent'), undefined);
  t.is(header(received.get('plain') ?? {}, 'ce_tracestate'), undefined);
  t.is(header(received.get('explicit') ?? {}, 'ce_traceparent'), explicit);
  t.is(exporter.getFinishedSpans().length, 0);
});

test.serial(
  "a refused append (a duplicate id) marks the spans with the error's class, never the duplicate value",
  async (t) => {
    t.timeout(60_000);
    tracingOn();
    t.teardown(tracingOff);
    const { sequelize, outbox } = await outboxOnKafka(t);
    // The value a MySQL duplicate-key message quotes ("Duplicate entry '…' for key …"): here personal data.
    const duplicate = 'alice@example.com';
    // Stored outside any span: nothing is recorded for it.
    await inTransaction(sequelize, (transaction) =>
      appendToOutbox(sequelize, transaction, [event('first', { id: duplicate })]),
    );
    t.is(exporter.getFinishedSpans().length, 0);
    const error = await trace.getTracer('test').startActiveSpan('POST /v1/orders', async (request) => {
      try {
        return await t.throwsAsync(
          inTransaction(sequelize, (transaction) =>
            outbox.append(transaction, [event('second', { id: duplicate })]),
          ),
        );
      } finally {
        request.end();
      }
    });
    await outbox.settle();
    t.is(error.name, 'SequelizeUniqueConstraintError');

    const spans = exporter.getFinishedSpans();
    const append = spans.find((span) => span.name === 'outbox append');
    if (!append) return t.fail('no outbox append span');
    t.is(append.status.code, SpanStatusCode.ERROR);
    t.is(append.status.message, undefined);
    t.is(append.attributes[ERROR_TYPE], 'SequelizeUniqueConstraintError');
    t.deepEqual(append.events, [], 'no exception event (its message and stack)');
    const insert = spans.find((span) => span.name === 'INSERT outbox_events');
    t.is(insert?.status.code, SpanStatusCode.ERROR, 'the statement span is marked too');
    for (const span of spans) {
      const texts = [
        span.status.message ?? '',
        ...Object.values(span.attributes).map(String),
        ...span.events.flatMap((spanEvent) => [
          spanEvent.name,
          ...Object.values(spanEvent.attributes ?? {}).map(String),
        ]),
      ];
      t.false(
        texts.some((text) => text.includes(duplicate) || /duplicate entry/i.test(text)),
        `${span.name} holds no value of the error`,
      );
    }
  },
);
