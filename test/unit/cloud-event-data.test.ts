import test from 'ava';
import { CloudEvent } from 'cloudevents';
import { withJsonData } from '../../shared/runtime/cloud-event-data';

const event = (data: unknown, datacontenttype: string) =>
  new CloudEvent({ id: '1', type: 'com.ecom.test.done', source: '/ecom/test/t', datacontenttype, data });

test('JSON data left as a string is parsed, whatever the content type parameters', (t) => {
  for (const type of [
    'application/json',
    'application/json; charset=utf-8',
    'application/cloudevents+json',
  ]) {
    t.deepEqual(withJsonData(event('{"a":1}', type)).data, { a: 1 }, type);
  }
});

test('parsed data and non-JSON data are left alone', (t) => {
  t.deepEqual(withJsonData(event({ a: 1 }, 'application/json')).data, { a: 1 });
  t.is(withJsonData(event('plain', 'text/plain')).data, 'plain');
});

test('malformed JSON data throws', (t) => {
  t.throws(() => withJsonData(event('{"a":', 'application/json; charset=utf-8')), {
    instanceOf: SyntaxError,
  });
});
