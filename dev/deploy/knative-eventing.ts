import type { FunctionDefinition } from '../../shared/kit/function-definition';
import type { Service } from '../../shared/kit/service-declaration';
import {
  BROKER,
  CLUSTER,
  DEAD_LETTER_SOURCE_DELIVERY,
  DELIVERY,
  DLQ,
  EVENTS_TOPIC,
  EVENTS_TOPIC_PARTITIONS,
  KEEP_ON_DELETE_LABEL,
  labelsFor,
  NAMESPACE,
  serviceAccountOf,
} from './deploy-settings';

export const KAFKA_BROKER_CONFIG = `${BROKER}-config`;
const KAFKA_SOURCE_API = 'sources.knative.dev/v1beta1';
const KAFKA_SINK_API = 'eventing.knative.dev/v1alpha1';

/** Retries with exponential backoff, then the DLQ KafkaSink: the broker's default and every Trigger's own. */
const delivery = {
  ...DELIVERY,
  deadLetterSink: { ref: { apiVersion: KAFKA_SINK_API, kind: 'KafkaSink', name: DLQ, namespace: NAMESPACE } },
};

/** A reference to a function's Knative Service, as a Trigger or a PingSource delivers to it. */
const serviceRef = (name: string) => ({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', name });

/**
 * The namespace, held to the Pod Security `restricted` standard: every function already runs as it asks (non-root,
 * no privilege escalation, all capabilities dropped, the runtime's seccomp profile).
 */
export function namespace(): object {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: NAMESPACE,
      labels: {
        ...labelsFor(),
        [KEEP_ON_DELETE_LABEL]: 'true',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
      },
    },
  };
}

/** A service's own identity for its functions, with no Kubernetes API token mounted: they never call the API. */
export function serviceAccount(service: Service): object {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: serviceAccountOf(service), namespace: NAMESPACE, labels: labelsFor({ service }) },
    automountServiceAccountToken: false,
  };
}

/** Where the Kafka broker's data plane finds Kafka; partitions and replicas apply to topics it creates. */
export function kafkaBrokerConfig(): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: KAFKA_BROKER_CONFIG, namespace: NAMESPACE, labels: labelsFor() },
    data: {
      'bootstrap.servers': CLUSTER.kafkaBootstrapServers,
      'default.topic.partitions': String(EVENTS_TOPIC_PARTITIONS),
      'default.topic.replication.factor': String(CLUSTER.kafkaReplicationFactor),
    },
  };
}

/**
 * The Kafka Broker over the topic the outbox publishes to (external topic: the broker reads it and neither
 * creates nor deletes it), so events written by kafkajs reach the Triggers as if POSTed to the broker.
 */
export function broker(): object {
  return {
    apiVersion: 'eventing.knative.dev/v1',
    kind: 'Broker',
    metadata: {
      name: BROKER,
      namespace: NAMESPACE,
      labels: labelsFor(),
      annotations: {
        'eventing.knative.dev/broker.class': 'Kafka',
        'kafka.eventing.knative.dev/external.topic': EVENTS_TOPIC,
      },
    },
    spec: {
      config: { apiVersion: 'v1', kind: 'ConfigMap', name: KAFKA_BROKER_CONFIG, namespace: NAMESPACE },
      delivery,
    },
  };
}

/** Dead letters go to their own topic, in binary mode like every event (ce_ headers), for inspection or replay. */
export function deadLetterSink(): object {
  return {
    apiVersion: KAFKA_SINK_API,
    kind: 'KafkaSink',
    metadata: { name: DLQ, namespace: NAMESPACE, labels: labelsFor() },
    spec: {
      topic: DLQ,
      bootstrapServers: [CLUSTER.kafkaBootstrapServers],
      numPartitions: 3,
      replicationFactor: CLUSTER.kafkaReplicationFactor,
      contentMode: 'binary',
    },
  };
}

/** `com.ecom.user.registered` -> `user-registered`. */
export function eventSlug(type: string): string {
  return type.replace(/^com\.ecom\./, '').replaceAll('.', '-');
}

/**
 * One Trigger per CloudEvent function, for every event type it subscribes to: one consumer group in the Kafka
 * broker's dispatcher per function, not per type. Each group reads every event of the topic, so a Trigger per type
 * multiplied that work by the types (21 groups for 7 functions). A function's events also arrive in one order:
 * ordered delivery hands a partition's events over one at a time, so one aggregate's events (keyed by
 * `partitionkey`) reach the function in the order they were written, whatever their types.
 *
 * One type is the legacy `filter.attributes`; several are `filters` with `any` of `exact` types, the CloudEvents
 * Subscriptions API dialects Knative Eventing turns on by default since 1.12 (`new-trigger-filters`).
 */
export function triggers(definition: FunctionDefinition): object[] {
  if (definition.trigger.kind !== 'cloudevent') return [];
  const types = [...definition.trigger.eventTypes].sort();
  const [only] = types;
  const filter =
    types.length === 1 && only !== undefined
      ? { filter: { attributes: { type: only } } }
      : { filters: [{ any: types.map((type) => ({ exact: { type } })) }] };
  return [
    {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: {
        name: definition.name,
        namespace: NAMESPACE,
        labels: labelsFor({ service: definition.service.name, fn: definition.name }),
        annotations: { 'kafka.eventing.knative.dev/delivery.order': 'ordered' },
      },
      spec: {
        broker: BROKER,
        ...filter,
        subscriber: { ref: serviceRef(definition.name) },
        delivery,
      },
    },
  ];
}

/** The PingSource that runs a scheduled function (an outbox relay): a small JSON CloudEvent on its cron. */
export function pingSource(definition: FunctionDefinition): object[] {
  if (definition.trigger.kind !== 'schedule') return [];
  return [
    {
      apiVersion: 'sources.knative.dev/v1',
      kind: 'PingSource',
      metadata: {
        name: `${definition.name}-schedule`,
        namespace: NAMESPACE,
        labels: labelsFor({ service: definition.service.name, fn: definition.name }),
      },
      spec: {
        schedule: definition.trigger.schedule,
        timezone: 'UTC',
        contentType: 'application/json',
        data: JSON.stringify({ function: definition.name }),
        sink: { ref: serviceRef(definition.name) },
      },
    },
  ];
}

/**
 * The KafkaSource that hands every record of the dead-letter topic to the function reading dead letters, as a
 * CloudEvent (the records are binary-mode CloudEvents, forwarded as they are, with Knative's `knativeerror*`
 * extensions). It starts at the topic's end when first created (`latest`, Knative's default) and commits as it goes.
 * Its retries are long, for a function scaling from zero; a dead letter has no further dead-letter sink (it would
 * loop), and stays in the topic whatever happens.
 */
export function deadLetterSource(definition: FunctionDefinition): object[] {
  if (definition.trigger.kind !== 'dead-letters') return [];
  return [
    {
      apiVersion: KAFKA_SOURCE_API,
      kind: 'KafkaSource',
      metadata: {
        name: `${definition.name}-source`,
        namespace: NAMESPACE,
        labels: labelsFor({ service: definition.service.name, fn: definition.name }),
      },
      spec: {
        bootstrapServers: [CLUSTER.kafkaBootstrapServers],
        topics: [DLQ],
        consumerGroup: `${NAMESPACE}.${definition.name}`,
        initialOffset: 'latest',
        delivery: DEAD_LETTER_SOURCE_DELIVERY,
        sink: { ref: serviceRef(definition.name) },
      },
    },
  ];
}
