// docs/asyncapi.yaml: valid AsyncAPI (the official parser finds no error), every type of the catalogue with the
// functions that really publish it (their declared uses.events, which the outbox enforces) and consume it (their
// Triggers), its data schema as zod writes it, and the Kafka headers the publishing code writes.
import test from 'ava';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadDefinitions, renderAll } from '../../dev/deploy/render-all';
import { EVENTS_TOPIC, EVENTS_TOPIC_PARTITIONS } from '../../dev/deploy/deploy-settings';
import { broker } from '../../dev/deploy/knative-eventing';
import { ASYNCAPI_FILE, renderAsyncApi } from '../../dev/docs/render-asyncapi';
import { consumedTypes, publishedTypes } from '../../dev/docs/event-flows';
import { EVENT_CATALOG } from '../../events/catalog';
import { toKafkaRecord } from '../../shared/messaging/cloud-event-kafka';

const definitions = loadDefinitions();
const { content } = renderAsyncApi(definitions, '0.1.0');

interface Raw {
  channels: Record<string, { address: string; bindings: { kafka: { topic: string; partitions: number } } }>;
  components: {
    schemas: { cloudEventHeaders: { properties: Record<string, unknown>; required: string[] } };
    messages: Record<string, { name: string; payload: { schema: unknown } }>;
  };
}
const raw = parse(content) as Raw;

const parsed = new Parser().parse(content);

test('npm run generate renders docs/asyncapi.yaml (and the freshness test holds it to that)', (t) => {
  t.true(renderAll(definitions).some((file) => file.path === ASYNCAPI_FILE));
});

test('the official parser reads it with no error', async (t) => {
  const { document, diagnostics } = await parsed;
  // The parser's enum and spectral's, which its diagnostics carry, are two types of the same numbers.
  const errorSeverity: number = DiagnosticSeverity.Error;
  const errors = diagnostics.filter((diagnostic) => {
    const severity: number = diagnostic.severity;
    return severity === errorSeverity;
  });
  t.deepEqual(
    errors.map((error) => `${error.path.join('/')}: ${error.message}`),
    [],
  );
  t.truthy(document);
  t.is(document?.version(), '3.1.0');
});

test('the check would catch a broken document: the parser reports a dangling reference as an error', async (t) => {
  const broken = content.replace('$ref: "#/channels/events"', '$ref: "#/channels/nowhere"');
  t.not(broken, content);
  const { diagnostics } = await new Parser().parse(broken);
  const errorSeverity: number = DiagnosticSeverity.Error;
  t.true(
    diagnostics.some((diagnostic) => {
      const severity: number = diagnostic.severity;
      return severity === errorSeverity;
    }),
  );
});

/** What the document says about a type: the functions whose send and whose receive operations carry it. */
async function documented() {
  const { document } = await parsed;
  const sides = new Map<string, { send: string[]; receive: string[] }>();
  for (const operation of document?.operations().all() ?? []) {
    const fn = (operation.id() ?? '').replace(/\.(send|receive)$/, '');
    for (const message of operation.messages().all()) {
      const type = message.name() ?? '';
      const side = sides.get(type) ?? { send: [], receive: [] };
      (operation.isSend() ? side.send : side.receive).push(fn);
      sides.set(type, side);
    }
  }
  return sides;
}

test('every catalogue type is a message with its publishers and consumers, from the declarations', async (t) => {
  const sides = await documented();
  for (const type of Object.keys(EVENT_CATALOG)) {
    const publishers = definitions.filter((fn) => publishedTypes(fn).includes(type)).map((fn) => fn.name);
    const consumers = definitions.filter((fn) => consumedTypes(fn).includes(type)).map((fn) => fn.name);
    t.true(publishers.length > 0, `nobody declares that it publishes ${type}`);
    t.deepEqual(sides.get(type)?.send.sort(), publishers.sort(), `${type} publishers`);
    t.deepEqual((sides.get(type)?.receive ?? []).sort(), consumers.sort(), `${type} consumers`);
  }
  t.deepEqual([...sides.keys()].sort(), Object.keys(EVENT_CATALOG).sort());
});

test('the publishers are the functions whose use cases emit the type, not only the one its definition names', async (t) => {
  const sides = await documented();
  // Read off the use cases: the saga's steps cancel from four functions, stock goes low from two.
  t.deepEqual(sides.get('com.ecom.order.cancelled')?.send.sort(), [
    'advance-order',
    'cancel-order',
    'capture-payment',
    'expire-orders',
  ]);
  t.deepEqual(sides.get('com.ecom.inventory.low')?.send.sort(), ['adjust-inventory', 'reserve-inventory']);
  t.deepEqual(sides.get('com.ecom.order.changed')?.send.sort(), [
    'advance-order',
    'cancel-order',
    'capture-payment',
    'expire-orders',
    'place-order',
    'ship-order',
  ]);
  t.deepEqual(sides.get('com.ecom.order.placed')?.receive.sort(), ['notify', 'reserve-inventory']);
});

test("each message's payload is the zod schema of its data, as z.toJSONSchema writes it", (t) => {
  const messages = Object.values(raw.components.messages);
  t.is(messages.length, Object.keys(EVENT_CATALOG).length);
  for (const message of messages) {
    const definition = EVENT_CATALOG[message.name];
    if (!definition) throw new Error(`${message.name} is not in the catalogue`);
    t.deepEqual(
      message.payload.schema,
      z.toJSONSchema(definition.data, { target: 'draft-07' }),
      message.name,
    );
  }
});

test('the headers are exactly those the Kafka binding writes; only the trace context may be missing', (t) => {
  const record = toKafkaRecord({
    id: 'e1',
    type: 'com.ecom.order.placed',
    source: '/ecom/order/place-order',
    subject: 'o1',
    partitionKey: 'o1',
    time: new Date(),
    data: {},
    traceparent: '00-00000000000000000000000000000001-0000000000000001-01',
    tracestate: 'vendor=opaque',
  });
  const headers = raw.components.schemas.cloudEventHeaders;
  t.deepEqual(Object.keys(headers.properties).sort(), Object.keys(record.headers).sort());
  t.deepEqual(
    Object.keys(record.headers).filter((name) => !headers.required.includes(name)),
    ['ce_traceparent', 'ce_tracestate'],
  );
  for (const name of ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_partitionkey']) {
    t.true(headers.required.includes(name), name);
  }
});

test("the channel is the Kafka broker's topic, as the generated Broker names it", (t) => {
  const { metadata } = broker() as { metadata: { annotations: Record<string, string> } };
  t.is(metadata.annotations['kafka.eventing.knative.dev/external.topic'], EVENTS_TOPIC);
  const [channel] = Object.values(raw.channels);
  t.is(channel?.address, EVENTS_TOPIC);
  t.is(channel?.bindings.kafka.topic, EVENTS_TOPIC);
  t.is(channel?.bindings.kafka.partitions, EVENTS_TOPIC_PARTITIONS);
});
