import test from 'ava';
import { CloudEvent } from 'cloudevents';
import { matchesFilter, toEventFilter, type EventFilter } from '../../../dev/broker/event-filter';
import type { TriggerResource } from '../../../dev/broker/knative-resources';

/** A Trigger's spec with its filters; the other fields do not matter to the filter. */
const spec = (filtering: Pick<TriggerResource['spec'], 'filter' | 'filters'>): TriggerResource['spec'] => ({
  broker: 'default',
  subscriber: { uri: 'http://subscriber' },
  ...filtering,
});

const event = new CloudEvent({
  id: 'e-1',
  type: 'com.ecom.user.registered',
  source: '/ecom/user/register',
  subject: 'u-1',
  data: { type: 'not an attribute' },
  partitionkey: 'u-1',
  empty: '',
  attempt: 3,
  replay: false,
});

const matches = (filter: EventFilter) => matchesFilter(filter, event);

test('legacy attributes: exact values, and "" meaning set and not empty', (t) => {
  t.true(matches({ attributes: {} }));
  t.true(matches({ attributes: { type: 'com.ecom.user.registered', source: '/ecom/user/register' } }));
  t.false(matches({ attributes: { type: 'com.ecom.user.registered', source: '/ecom/user/login' } }));
  t.true(matches({ attributes: { subject: '' } }));
  t.false(matches({ attributes: { empty: '' } }), 'set but empty');
  t.false(matches({ attributes: { missing: '' } }), 'not set');
  t.false(matches({ attributes: { type: 'com.ecom.user' } }), 'exact, not a prefix');
});

test('exact, prefix and suffix compare each attribute; a missing attribute never matches', (t) => {
  t.true(matches({ exact: { type: 'com.ecom.user.registered' } }));
  t.false(matches({ exact: { type: 'com.ecom.user' } }));
  t.true(matches({ prefix: { type: 'com.ecom.user.' } }));
  t.false(matches({ prefix: { type: 'user.registered' } }));
  t.true(matches({ suffix: { type: '.registered' } }));
  t.false(matches({ suffix: { type: 'com.ecom' } }));
  t.true(matches({ exact: { type: 'com.ecom.user.registered', subject: 'u-1' } }));
  t.false(
    matches({ exact: { type: 'com.ecom.user.registered', subject: 'u-2' } }),
    'every attribute must pass',
  );
  t.false(matches({ prefix: { missing: '' } }));
  t.false(matches({ suffix: { missing: '' } }));
  t.true(matches({ exact: { empty: '' } }), 'the new dialects compare "" as a value');
});

test('extensions of other types compare as text; data is never an attribute', (t) => {
  t.true(matches({ exact: { attempt: '3' } }));
  t.true(matches({ exact: { replay: 'false' } }));
  t.false(matches({ exact: { type: 'not an attribute', data: 'x' } }));
  t.false(matches({ prefix: { data: '' } }));
  t.false(matches({ prefix: { data_base64: '' } }));
});

test('data, as text or as binary, is never matched as an attribute', (t) => {
  const text = new CloudEvent({ id: 'e-3', type: 't', source: '/s', data: 'payload' });
  t.false(matchesFilter({ exact: { data: 'payload' } }, text));
  t.false(matchesFilter({ attributes: { data: '' } }, text));
  const binary = new CloudEvent({ id: 'e-4', type: 't', source: '/s', data: new Uint8Array([1, 2]) });
  t.false(matchesFilter({ prefix: { data_base64: '' } }, binary));
  t.false(matchesFilter({ attributes: { data_base64: '' } }, binary));
});

test('all, any and not combine filters; an empty any passes, an empty all passes', (t) => {
  const yes: EventFilter = { exact: { subject: 'u-1' } };
  const no: EventFilter = { exact: { subject: 'u-2' } };
  t.true(matches({ all: [yes, yes] }));
  t.false(matches({ all: [yes, no] }));
  t.true(matches({ all: [] }));
  t.true(matches({ any: [no, yes] }));
  t.false(matches({ any: [no, no] }));
  t.true(matches({ any: [] }));
  t.true(matches({ not: no }));
  t.false(matches({ not: yes }));
  t.true(matches({ not: { any: [no, { not: yes }] } }));
});

test("a Trigger's filter: a non-empty filters list wins, else filter.attributes, else everything passes", (t) => {
  const filters = [{ exact: { type: 'a' } }, { prefix: { source: '/b' } }];
  t.deepEqual(toEventFilter(spec({ filters, filter: { attributes: { type: 'x' } } }), 'tr'), {
    all: [{ exact: { type: 'a' } }, { prefix: { source: '/b' } }],
  });
  t.deepEqual(toEventFilter(spec({ filters: [], filter: { attributes: { type: 'x' } } }), 'tr'), {
    attributes: { type: 'x' },
  });
  t.deepEqual(toEventFilter(spec({}), 'tr'), { attributes: {} });
  const nested = [{ all: [{ suffix: { type: '.c' } }] }, { any: [{ not: { exact: { subject: 's' } } }] }];
  t.deepEqual(toEventFilter(spec({ filters: nested }), 'tr'), {
    all: [{ all: [{ suffix: { type: '.c' } }] }, { any: [{ not: { exact: { subject: 's' } } }] }],
  });
});

test('CESQL is refused, naming the Trigger', (t) => {
  const error = t.throws(() => toEventFilter(spec({ filters: [{ cesql: "type = 'a'" }] }), 'notify-trigger'));
  t.regex(error.message, /notify-trigger: CESQL/);
});
