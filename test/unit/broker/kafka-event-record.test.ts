import test from 'ava';
import { CloudEvent } from 'cloudevents';
import fc from 'fast-check';
import type { KafkaMessage } from 'kafkajs';
import { matchesFilter, type EventFilter } from '../../../dev/broker/event-filter';
import { kafkaRecordAttributes, toKafkaMessage } from '../../../dev/broker/kafka-event-record';
import { fromKafkaRecord } from '../../../shared/messaging/cloud-event-kafka';

/** The record as a consumer reads it back: header values as Buffers. */
function asRead(event: CloudEvent<unknown>): KafkaMessage {
  const message = toKafkaMessage(event);
  const headers = Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([name, value]) => [name, Buffer.from(String(value))]),
  );
  return {
    key: message.key === null || message.key === undefined ? null : Buffer.from(message.key),
    value: message.value === null ? null : Buffer.from(message.value),
    headers,
    timestamp: String(message.timestamp),
    attributes: 0,
    offset: '0',
  };
}

// A small pool of values, so that filters and events often share them and filters both pass and refuse.
const TIME = '2026-12-03T16:36:22.000Z';
const value = fc.constantFrom(
  TIME,
  '',
  'a',
  'ab',
  'com.ecom.order.placed',
  'com.ecom.order',
  '.placed',
  '3',
  'false',
);
const name = fc.constantFrom(
  'type',
  'source',
  'subject',
  'time',
  'datacontenttype',
  'partitionkey',
  'tag',
  'missing',
  'data',
);
const attributes = fc.dictionary(name, value, { maxKeys: 2 });
const filter: fc.Arbitrary<EventFilter> = fc.letrec<{ filter: EventFilter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small' },
    attributes.map((a) => ({ attributes: a })),
    attributes.map((a) => ({ exact: a })),
    attributes.map((a) => ({ prefix: a })),
    attributes.map((a) => ({ suffix: a })),
    fc.array(tie('filter'), { maxLength: 2 }).map((all) => ({ all })),
    fc.array(tie('filter'), { maxLength: 2 }).map((any) => ({ any })),
    tie('filter').map((not) => ({ not })),
  ),
})).filter;
const event = fc
  .record(
    {
      type: fc.constantFrom('com.ecom.order.placed', 'com.ecom.order.paid', 'a'),
      source: fc.constantFrom('/ecom/order/place-order', 'a'),
      subject: value.filter((v) => v !== ''), // the spec wants a subject non-empty
      time: fc.constantFrom(TIME, '2026-12-03T17:36:22+01:00'),
      datacontenttype: fc.constantFrom('application/json', 'text/plain'),
      partitionkey: value,
      tag: fc.oneof(value, fc.integer({ min: 0, max: 5 }), fc.boolean()),
    },
    { requiredKeys: ['type', 'source'] },
  )
  .map((attrs) => new CloudEvent<unknown>({ id: 'e-1', ...attrs, data: { tag: 'not an attribute' } }));

test("a binary-mode record's headers pass and refuse exactly the events its decoded CloudEvent does", (t) => {
  fc.assert(
    fc.property(event, filter, (cloudEvent, f) => {
      const record = asRead(cloudEvent);
      const attributes = kafkaRecordAttributes(record);
      if (attributes === undefined) return false;
      return matchesFilter(f, attributes) === matchesFilter(f, fromKafkaRecord(record));
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('a structured-mode record has no attributes in its headers: it is decoded before any filter', (t) => {
  const cloudEvent = new CloudEvent({ id: 'e-1', type: 'com.ecom.order.placed', source: '/x' });
  const read = asRead(cloudEvent);
  t.is(
    kafkaRecordAttributes({
      key: null,
      headers: { 'content-type': Buffer.from('application/cloudevents+json') },
    }),
    undefined,
  );
  t.is(
    kafkaRecordAttributes({
      key: null,
      headers: {
        ...read.headers,
        'content-type': Buffer.from('application/cloudevents+json; charset=utf-8'),
      },
    }),
    undefined,
    'a content type that says structured wins over stray ce_ headers',
  );
  t.is(kafkaRecordAttributes({ key: null }), undefined);
  t.like(kafkaRecordAttributes(read), {
    type: 'com.ecom.order.placed',
    source: '/x',
    id: 'e-1',
    specversion: '1.0',
  });
});

// Records as any producer may write them: empty context attributes, times in other notations, a data content
// type in both headers, no key.
const header = (values: fc.Arbitrary<string>) =>
  fc.option(
    values.map((v) => Buffer.from(v)),
    { nil: undefined },
  );
const rawRecord = fc
  .record({
    key: fc.option(
      value.map((v) => Buffer.from(v)),
      { nil: null },
    ),
    headers: fc.record({
      ce_specversion: fc.constant(Buffer.from('1.0')),
      ce_id: fc.constant(Buffer.from('e-1')),
      ce_type: fc.constantFrom('com.ecom.order.placed', 'a').map((v) => Buffer.from(v)),
      ce_source: fc.constant(Buffer.from('/ecom/order/place-order')),
      ce_subject: header(value),
      ce_time: header(fc.constantFrom(TIME, '2026-12-03T17:36:22+01:00', '2026-12-03 16:36:22Z', 'noon', '')),
      ce_datacontenttype: header(fc.constantFrom('application/json', 'text/plain', '')),
      'content-type': header(fc.constantFrom('application/json', 'text/plain')),
      ce_tag: header(value),
    }),
  })
  .map(({ key, headers }) => ({
    key,
    headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)),
    value: Buffer.from('{"tag":"not an attribute"}'),
  }));

test('so do the headers of records any producer may write, wherever the SDK accepts them', (t) => {
  fc.assert(
    fc.property(rawRecord, filter, (record, f) => {
      let decoded: CloudEvent<unknown>;
      try {
        decoded = fromKafkaRecord(record);
      } catch {
        return true; // Not a valid CloudEvent: the group skips it either way.
      }
      const attributes = kafkaRecordAttributes(record);
      return attributes !== undefined && matchesFilter(f, attributes) === matchesFilter(f, decoded);
    }),
    { numRuns: 3000 },
  );
  t.pass();
});
