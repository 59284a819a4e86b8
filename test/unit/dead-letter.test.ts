import test from 'ava';
import { CloudEvent } from 'cloudevents';
import { toDeadLetter } from '../../shared/runtime/dead-letter-function';

const letter = (extensions: Record<string, string>) =>
  toDeadLetter(
    new CloudEvent<unknown>({
      type: 'com.ecom.order.placed',
      source: '/ecom/x',
      subject: 'o-1',
      data: { orderId: 'o-1' },
      ...extensions,
    }),
  );
const base64 = (text: string) => Buffer.from(text).toString('base64');

test("the subscriber is the Knative Service of the destination's cluster address; any other address names none", (t) => {
  const of = (dest: string) => letter({ knativeerrordest: dest }).subscriber;
  t.is(of('http://capture-payment.ecom.svc.cluster.local'), 'capture-payment');
  t.is(of('http://notify.ecom.svc.cluster.local/path'), 'notify');
  t.is(of('http://notify.ecom.svc'), 'notify');
  t.is(of('http://127.0.0.1:8080/'), undefined);
  t.is(of('https://hooks.example.com/notify.ecom.svc'), undefined);
  t.is(of('not a url'), undefined);
  t.like(letter({ knativeerrordest: 'not a url' }), { destination: 'not a url' });
});

test('the status is the last answer when there was one; no answer (0) or garbage is none', (t) => {
  t.is(letter({ knativeerrorcode: '503' }).status, 503);
  t.is(letter({ knativeerrorcode: '0' }).status, undefined);
  t.is(letter({ knativeerrorcode: 'x' }).status, undefined);
  t.is(letter({}).status, undefined);
});

test('only our problem code is read from the answer, never its text', (t) => {
  const code = (data: string) => letter({ knativeerrordata: data }).problemCode;
  t.is(code(base64('{"code":"EVENT.INVALID_DATA","detail":"alice@example.com"}')), 'EVENT.INVALID_DATA');
  t.is(code(base64('{"code":"alice@example.com"}')), undefined);
  t.is(code(base64('{"code":"lowercase.code"}')), undefined);
  t.is(code(base64('upstream timed out')), undefined);
  t.is(code(base64('["EVENT.INVALID"]')), undefined);
  t.is(code('%%%'), undefined);
});

test("the event to publish again is the publisher's own: its attributes, key, time, data and trace, not Knative's", (t) => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const received = toDeadLetter(
    new CloudEvent<unknown>({
      id: 'e-1',
      type: 'com.ecom.order.placed',
      source: '/ecom/order/place-order',
      subject: 'o-1',
      time: '2026-12-04T10:00:00.000Z',
      data: { orderId: 'o-1' },
      partitionkey: 'o-1',
      traceparent,
      tracestate: 'vendor=1',
      knativeerrordest: 'http://reserve-inventory.ecom.svc.cluster.local',
      knativeerrorcode: '503',
    }),
  );
  t.deepEqual(received.event, {
    id: 'e-1',
    type: 'com.ecom.order.placed',
    source: '/ecom/order/place-order',
    subject: 'o-1',
    partitionKey: 'o-1',
    time: new Date('2026-12-04T10:00:00.000Z'),
    data: { orderId: 'o-1' },
    traceparent,
    tracestate: 'vendor=1',
  });
  // Keyed by its subject when the record said no key.
  t.like(letter({}).event, { subject: 'o-1', partitionKey: 'o-1' });
});

test('an event without a subject, or whose data is no JSON object, cannot be published again', (t) => {
  const of = (fields: Record<string, unknown>) =>
    toDeadLetter(new CloudEvent<unknown>({ type: 't', source: '/s', ...fields })).event;
  t.is(of({ data: { a: 1 } }), undefined);
  t.is(of({ subject: 's', data: 'text' }), undefined);
  t.is(of({ subject: 's', data: [1, 2] }), undefined);
  t.is(of({ subject: 's', data: new Uint8Array([1]) }), undefined);
  t.is(of({ subject: 's' }), undefined);
  t.truthy(of({ subject: 's', data: { a: 1 } }));
});
