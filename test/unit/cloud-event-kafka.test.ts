import test from 'ava';
import { fromKafkaRecord, toKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import type { DomainEvent } from '../../shared/domain/domain-event';

const event: DomainEvent = {
  id: '5b0e1c9e-2f5a-4a51-9a0e-7a3c1f2a9b10',
  type: 'com.ecom.order.placed',
  source: '/ecom/order/place-order',
  subject: 'order-42',
  partitionKey: 'order-42',
  time: new Date('2026-11-25T10:00:00.123Z'),
  data: { orderId: 'order-42', totalMinor: 1999, currency: 'EUR', note: 'ünïcødé' },
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

test('binary mode: attributes as ce_ headers, JSON value, key = partitionkey', (t) => {
  const record = toKafkaRecord(event);
  t.is(record.key, 'order-42');
  t.deepEqual(JSON.parse(record.value), event.data);
  t.like(record.headers, {
    'content-type': 'application/json',
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_type: 'com.ecom.order.placed',
    ce_source: '/ecom/order/place-order',
    ce_subject: 'order-42',
    ce_time: '2026-11-25T10:00:00.123Z',
    ce_partitionkey: 'order-42',
    ce_traceparent: event.traceparent,
  });
  t.is(record.timestamp, String(event.time.getTime()));
});

test('a record reads back into the same CloudEvent', (t) => {
  const record = toKafkaRecord(event);
  const back = fromKafkaRecord({
    key: record.key,
    value: Buffer.from(record.value),
    headers: record.headers,
  });
  t.like(back, { id: event.id, type: event.type, subject: event.subject, partitionkey: 'order-42' });
  t.deepEqual(back.data, event.data);
});

test('a record without CloudEvent headers is refused', (t) => {
  t.throws(() => fromKafkaRecord({ key: 'k', value: '{}', headers: { 'content-type': 'application/json' } }));
});
