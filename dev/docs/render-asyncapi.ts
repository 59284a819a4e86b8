// docs/asyncapi.yaml: the events as an AsyncAPI 3 document, rendered from the event catalogue (events/) and the
// functions' declarations, so it says what the code does: a message per CloudEvent type with the zod schema of its
// data (z.toJSONSchema), the Kafka headers the publisher really writes, and an operation per function that
// publishes (its `uses.events`, which the outbox enforces) or consumes (its CloudEvent trigger, a Knative Trigger each).
import { z } from 'zod';
import type { EventDefinition } from '../../events/event-definition';
import { EVENT_CATALOG } from '../../events/catalog';
import type { FunctionDefinition } from '../../shared/kit/function-definition';
import { eventSourceOf } from '../../shared/kit/declared-events';
import {
  BROKER,
  CLUSTER,
  DELIVERY,
  DLQ,
  EVENTS_TOPIC,
  EVENTS_TOPIC_PARTITIONS,
} from '../deploy/deploy-settings';
import { eventSlug } from '../deploy/knative-eventing';
import type { GeneratedFile } from '../deploy/yaml-file';
import { kafkaHeadersSchema } from './asyncapi-headers';
import { consumedTypes, eventFlows, publishedTypes, type EventFlow } from './event-flows';
import { generatedYaml } from './generated-yaml';

export const ASYNCAPI_FILE = 'docs/asyncapi.yaml';

/** The one channel: the Kafka broker's topic, which every event goes through. */
const CHANNEL = 'events';
const KAFKA_BINDING_VERSION = '0.5.0';
const channelRef = { $ref: `#/channels/${CHANNEL}` };
const messageRef = (type: string) => ({ $ref: `#/channels/${CHANNEL}/messages/${eventSlug(type)}` });
const names = (definitions: readonly FunctionDefinition[]) =>
  definitions.map((definition) => `\`${definition.name}\``).join(', ');

/** `com.ecom.order.placed` -> `order`. */
const aggregateOf = (type: string) => type.split('.')[2] ?? type;

function message(flow: EventFlow): object {
  const { event, publishers, consumers } = flow;
  const sources = publishers.map((fn) => eventSourceOf(fn.service.name, fn.name));
  return {
    name: event.type,
    title: event.type,
    summary: event.description,
    description:
      `Published by ${names(publishers)}; ` +
      (consumers.length > 0 ? `consumed by ${names(consumers)}.` : 'no function consumes it yet.'),
    contentType: 'application/json',
    headers: {
      allOf: [
        { $ref: '#/components/schemas/cloudEventHeaders' },
        {
          type: 'object',
          properties: {
            ce_type: { const: event.type },
            ce_source: sources.length === 1 ? { const: sources[0] } : { enum: sources },
          },
        },
      ],
    },
    // The output side: what producers write once the schema has parsed (and shaped) their data.
    payload: dataSchema(event),
    bindings: {
      kafka: {
        key: {
          type: 'string',
          description: `The \`partitionkey\` extension (= \`ce_subject\`): the ${aggregateOf(event.type)} id, so its events keep their order on one partition.`,
        },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    tags: [{ name: aggregateOf(event.type) }],
  };
}

/** The data's JSON Schema, as zod writes it; draft-07, which AsyncAPI's own schema format extends. */
function dataSchema(event: EventDefinition): object {
  return {
    schemaFormat: 'application/schema+json;version=draft-07',
    schema: z.toJSONSchema(event.data, { target: 'draft-07', io: 'output' }),
  };
}

function sendOperation(definition: FunctionDefinition): object {
  return {
    action: 'send',
    channel: channelRef,
    title: `${definition.name} publishes`,
    summary: definition.description,
    description:
      `Appended to the ${definition.service.name} service's outbox in the transaction of the change, with ` +
      `\`ce_source\` \`${eventSourceOf(definition.service.name, definition.name)}\`, and published to ` +
      `\`${EVENTS_TOPIC}\` once it commits (\`${definition.service.name}-outbox-relay\` publishes what a crash ` +
      `or an outage left). The outbox refuses any type not declared in its function.ts \`uses.events\`.`,
    tags: [{ name: definition.service.name }],
    messages: publishedTypes(definition).map(messageRef),
  };
}

function receiveOperation(definition: FunctionDefinition): object {
  const types = [...consumedTypes(definition)].sort();
  return {
    action: 'receive',
    channel: channelRef,
    title: `${definition.name} consumes`,
    summary: definition.description,
    description:
      `Delivered by the Knative Kafka broker \`${BROKER}\` through the Trigger \`${definition.name}\` (one ` +
      `consumer group for every type it handles): an HTTP POST in binary mode, in order per partition. A 2xx ` +
      `acknowledges (a duplicate too: consumers are idempotent on \`ce_id\`); 5xx, 404, 408, 409 and 429 are retried ${DELIVERY.retry} times with ` +
      `${DELIVERY.backoffPolicy} backoff from ${DELIVERY.backoffDelay}, then dead-lettered to \`${DLQ}\`; any ` +
      `other answer (400, an invalid event) is dead-lettered at once.`,
    tags: [{ name: definition.service.name }],
    messages: types.map(messageRef),
  };
}

/** Every function that publishes or consumes, sorted by name: its send, then its receive operation. */
function operations(definitions: readonly FunctionDefinition[]): Record<string, object> {
  const entries: [string, object][] = [];
  for (const definition of [...definitions].sort((a, b) => a.name.localeCompare(b.name))) {
    if (publishedTypes(definition).length > 0)
      entries.push([`${definition.name}.send`, sendOperation(definition)]);
    if (consumedTypes(definition).length > 0) {
      entries.push([`${definition.name}.receive`, receiveOperation(definition)]);
    }
  }
  return Object.fromEntries(entries);
}

/** The AsyncAPI 3 document of the shop's events. */
export function asyncApiDocument(definitions: readonly FunctionDefinition[], version: string): object {
  const flows = eventFlows(EVENT_CATALOG, definitions);
  return {
    asyncapi: '3.1.0',
    info: {
      title: 'ecom-serverless events',
      version,
      description: [
        "The CloudEvents the shop's functions exchange through the Knative Kafka broker.",
        '',
        "Each event is written to its service's transactional outbox in the transaction of the change it describes, " +
          "and published with kafkajs once that commits, to the broker's topic, in the CloudEvents Kafka binding's " +
          'binary content mode: the attributes as `ce_` headers, the `data` as the JSON value, the `partitionkey` ' +
          "extension as the key. The broker's Triggers deliver each type to the functions that subscribe to it.",
        '',
        'Generated by `npm run generate` from `events/` and `functions/*/*/function.ts`; do not edit.',
      ].join('\n'),
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/json',
    servers: {
      cluster: {
        host: CLUSTER.kafkaBootstrapServers,
        protocol: 'kafka',
        description:
          "The cluster's Kafka (`CLUSTER` in dev/deploy/deploy-settings.ts). TLS and SASL/SCRAM when the " +
          '`kafka-auth` Secret sets them (docs/deploy.md), plaintext otherwise.',
      },
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description:
          'The Kafka of `npm run infra:up`, for `npm start -- --infra`, where the dev broker plays the Knative broker.',
      },
    },
    channels: {
      [CHANNEL]: {
        address: EVENTS_TOPIC,
        title: `${EVENTS_TOPIC}, the Kafka broker's topic`,
        description:
          `The topic of the Knative Kafka broker \`${BROKER}\` (\`kafka.eventing.knative.dev/external.topic\`): ` +
          `every event goes through it, one message per CloudEvent type. Dead letters go to \`${DLQ}\` in the ` +
          "same binary mode, with Knative's `knativeerrordest` and `knativeerrorcode`; a KafkaSource hands each " +
          'to `count-dead-letters`.',
        messages: Object.fromEntries(
          flows.map((flow) => [
            eventSlug(flow.event.type),
            { $ref: `#/components/messages/${eventSlug(flow.event.type)}` },
          ]),
        ),
        bindings: {
          kafka: {
            topic: EVENTS_TOPIC,
            partitions: EVENTS_TOPIC_PARTITIONS,
            replicas: CLUSTER.kafkaReplicationFactor,
            bindingVersion: KAFKA_BINDING_VERSION,
          },
        },
      },
    },
    operations: operations(definitions),
    components: {
      schemas: { cloudEventHeaders: kafkaHeadersSchema() },
      messages: Object.fromEntries(flows.map((flow) => [eventSlug(flow.event.type), message(flow)])),
    },
  };
}

/** docs/asyncapi.yaml. */
export function renderAsyncApi(definitions: readonly FunctionDefinition[], version: string): GeneratedFile {
  return generatedYaml(
    ASYNCAPI_FILE,
    '# Generated by npm run generate from events/ and functions/*/*/function.ts (dev/docs/render-asyncapi.ts). Do not edit.',
    asyncApiDocument(definitions, version),
  );
}
