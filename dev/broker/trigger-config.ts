import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { toDeliverySpec, type DeliverySpec } from './delivery-spec';
import { toEventFilter, type EventFilter } from './event-filter';
import {
  BrokerResource,
  KafkaSourceResource,
  TriggerResource,
  type DeliveryResource,
} from './knative-resources';

export type { DeliverySpec };

/** What the dev broker needs of one Trigger. */
export interface TriggerConfig {
  readonly namespace: string;
  readonly name: string;
  readonly broker: string;
  readonly filter: EventFilter;
  /** The subscriber: a Service ref by name (resolved at delivery time), and/or a uri (absolute, or a path). */
  readonly subscriber: Destination;
  readonly delivery: DeliverySpec;
}

/** A Broker: its name and the Kafka topic it reads (`kafka.eventing.knative.dev/external.topic`). */
export interface BrokerConfig {
  readonly namespace: string;
  readonly name: string;
  readonly topic?: string | undefined;
}

/** Where a Trigger or a source delivers: a Service ref by name (resolved at delivery time), and/or a uri. */
export interface Destination {
  readonly service?: string | undefined;
  readonly uri?: string | undefined;
}

/** What the dev broker needs of one KafkaSource: the topics it reads, its consumer group, its sink. */
export interface KafkaSourceConfig {
  readonly namespace: string;
  readonly name: string;
  readonly topics: readonly string[];
  readonly consumerGroup: string;
  readonly sink: Destination;
  /** Its retries; a source has no broker to inherit from, and a dead-letter sink only if it names one. */
  readonly delivery: DeliverySpec;
}

export interface KnativeConfig {
  readonly brokers: readonly BrokerConfig[];
  readonly triggers: readonly TriggerConfig[];
  readonly sources: readonly KafkaSourceConfig[];
}

const TOPIC_ANNOTATION = 'kafka.eventing.knative.dev/external.topic';

/** Reads every `*.yaml` / `*.yml` of a knative/ directory (multi-document files), in name order. */
export async function loadKnativeConfig(dir: string): Promise<KnativeConfig> {
  const names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  // A broker with no Triggers would take every event and deliver none: a wrong directory must not look like that.
  if (names.length === 0) throw new Error(`${dir} holds no Knative manifests (*.yaml)`);
  const files = await Promise.all(
    names.map(async (name) => ({ name: join(dir, name), text: await readFile(join(dir, name), 'utf8') })),
  );
  return parseKnativeConfig(files);
}

/**
 * Picks the Brokers, Triggers and KafkaSources out of Knative manifests and validates the subset the dev broker
 * uses; other kinds (Services, PingSources, ConfigMaps, KafkaSinks) are ignored. Throws one error naming the file and the
 * resource at fault.
 */
export function parseKnativeConfig(files: readonly { name: string; text: string }[]): KnativeConfig {
  const brokers: BrokerResource[] = [];
  const triggers: TriggerResource[] = [];
  const sources: KafkaSourceResource[] = [];
  for (const file of files) {
    for (const document of parseAllDocuments(file.text)) {
      if (document.errors.length > 0) throw new Error(`${file.name}: ${String(document.errors[0]?.message)}`);
      const resource: unknown = document.toJS();
      if (!isEventing(resource)) continue;
      if (resource.kind === 'Broker') brokers.push(parse(BrokerResource, resource, file.name));
      if (resource.kind === 'Trigger') triggers.push(parse(TriggerResource, resource, file.name));
      if (resource.kind === 'KafkaSource') sources.push(parse(KafkaSourceResource, resource, file.name));
    }
  }
  return {
    brokers: brokers.map(({ metadata: { namespace, name, annotations } }) => ({
      namespace,
      name,
      topic: annotations?.[TOPIC_ANNOTATION],
    })),
    triggers: triggers.map((trigger) => {
      const broker = brokers.find(
        (b) => b.metadata.namespace === trigger.metadata.namespace && b.metadata.name === trigger.spec.broker,
      );
      return toTriggerConfig(trigger, broker?.spec?.delivery);
    }),
    sources: sources.map(({ metadata, spec }) => ({
      namespace: metadata.namespace,
      name: metadata.name,
      topics: spec.topics,
      consumerGroup: spec.consumerGroup ?? `${metadata.namespace}.${metadata.name}`,
      sink: { service: spec.sink.ref?.name, uri: spec.sink.uri },
      delivery: toDeliverySpec(undefined, spec.delivery),
    })),
  };
}

function isEventing(value: unknown): value is { kind: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
  return (
    typeof apiVersion === 'string' &&
    (apiVersion.startsWith('eventing.knative.dev/') || apiVersion.startsWith('sources.knative.dev/')) &&
    typeof kind === 'string'
  );
}

function parse<Schema extends z.ZodType>(schema: Schema, value: unknown, file: string): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const name = (value as { metadata?: { name?: unknown } }).metadata?.name;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  throw new Error(`${file}: invalid ${(value as { kind: string }).kind} ${String(name)}: ${issues}`);
}

function toTriggerConfig(
  trigger: TriggerResource,
  brokerDelivery: DeliveryResource | undefined,
): TriggerConfig {
  const { metadata, spec } = trigger;
  return {
    namespace: metadata.namespace,
    name: metadata.name,
    broker: spec.broker,
    filter: toEventFilter(spec, `${metadata.namespace}/${metadata.name}`),
    subscriber: { service: spec.subscriber.ref?.name, uri: spec.subscriber.uri },
    delivery: toDeliverySpec(brokerDelivery, spec.delivery),
  };
}
