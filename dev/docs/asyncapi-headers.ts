// The Kafka headers of a published event, for docs/asyncapi.yaml. Their names are not listed here by hand: they are
// read off what the publishing code (shared/messaging/cloud-event-kafka.ts, used by the kit's outbox and the relay)
// writes for a sample event, so the document says what goes on the wire. This file only explains each one; a
// header the code starts writing without an explanation here stops the generator.
import type { DomainEvent } from '../../shared/domain/domain-event';
import { toKafkaRecord } from '../../shared/messaging/cloud-event-kafka';

/** A JSON Schema of one header's value (Kafka carries bytes; these are UTF-8 text). */
type HeaderSchema = Readonly<Record<string, unknown>>;

const text = (description: string, more: Record<string, unknown> = {}): HeaderSchema => ({
  type: 'string',
  description,
  ...more,
});

/** What each header the CloudEvents Kafka binding (binary content mode) writes means, by name. */
const EXPLAINED: Readonly<Record<string, HeaderSchema>> = {
  'content-type': text("The data's media type: the record's value is the event's `data` as JSON.", {
    const: 'application/json',
  }),
  ce_specversion: text('CloudEvents specification version.', { const: '1.0' }),
  ce_id: text(
    'Unique per event (a UUID the outbox assigns) and the same on every re-publication: consumers deduplicate on it.',
  ),
  ce_source: text(
    'The function that emitted the event, `/ecom/<service>/<function>` (the outbox refuses any other).',
  ),
  ce_type: text('The event type, `com.ecom.<aggregate>.<past-tense>`: what the Triggers filter on.'),
  ce_time: text('When the change happened (RFC 3339, UTC, milliseconds); also the record timestamp.', {
    format: 'date-time',
  }),
  ce_subject: text('The aggregate the event is about (an order, product or user id).'),
  ce_datacontenttype: text(
    "The data's media type as a CloudEvent attribute, written beside `content-type`.",
    {
      const: 'application/json',
    },
  ),
  ce_partitionkey: text(
    'CloudEvents partitioning extension: the aggregate id, equal to the record key, so one aggregate keeps its order on one partition.',
  ),
  ce_traceparent: text(
    "CloudEvents distributed-tracing extension: the W3C trace context of the producer's `outbox append` span (a consumer's span is its child), when tracing is on or the producer set one.",
    { pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' },
  ),
  ce_tracestate: text(
    'CloudEvents distributed-tracing extension: the W3C `tracestate` (vendor entries) beside `ce_traceparent`, when the trace has one.',
    { maxLength: 512 },
  ),
};

/** A sample event with no optional attribute, and the same with every one set. */
const MINIMAL: DomainEvent = {
  id: '00000000-0000-4000-8000-000000000000',
  type: 'com.ecom.sample.written',
  source: '/ecom/sample/sample',
  subject: 'aggregate',
  partitionKey: 'aggregate',
  time: new Date(0),
  data: {},
};
const FULL: DomainEvent = {
  ...MINIMAL,
  traceparent: '00-00000000000000000000000000000001-0000000000000001-01',
  tracestate: 'vendor=value',
};

/**
 * The headers schema of every published record: each header the binding writes, required unless it depends on an
 * optional attribute (written for the full sample only).
 */
export function kafkaHeadersSchema(): Readonly<Record<string, unknown>> {
  const written = Object.keys(toKafkaRecord(FULL).headers);
  const always = new Set(Object.keys(toKafkaRecord(MINIMAL).headers));
  const unexplained = written.filter((name) => !(name in EXPLAINED));
  if (unexplained.length > 0) {
    throw new Error(
      `dev/docs/asyncapi-headers.ts does not explain the Kafka header(s) ${unexplained.join(', ')}`,
    );
  }
  return {
    type: 'object',
    description:
      'CloudEvents Kafka protocol binding, binary content mode: the attributes as `ce_` headers, the data as the value.',
    properties: Object.fromEntries(written.map((name) => [name, EXPLAINED[name]])),
    required: written.filter((name) => always.has(name)),
  };
}
