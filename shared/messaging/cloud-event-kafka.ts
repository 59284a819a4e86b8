import { Kafka as KafkaBinding, type CloudEvent, type KafkaMessage } from 'cloudevents';
import { toCloudEvent } from './domain-cloud-event';
import type { DomainEvent } from '../domain/domain-event';

/** A Kafka record in the CloudEvents Kafka protocol binding, binary mode. */
export interface KafkaRecord {
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
  readonly timestamp: string;
}

/**
 * Maps an event to the CloudEvents Kafka binding in binary mode: attributes as `ce_` headers, the JSON data as
 * the value, `content-type: application/json`, and the key = the `partitionkey` extension, which is what the
 * Knative Kafka broker reads from its topic.
 */
export function toKafkaRecord(event: DomainEvent): KafkaRecord {
  const cloudEvent = toCloudEvent(event);
  const message = KafkaBinding.binary(cloudEvent);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = String(value);
  }
  return {
    key: event.partitionKey,
    // The binding leaves data as an object: the value must be the serialised JSON.
    value: JSON.stringify(event.data),
    headers,
    timestamp: String(event.time.getTime()),
  };
}

/** Reads a binary-mode Kafka record back into a CloudEvent (validated: a malformed record throws). */
export function fromKafkaRecord(record: {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}): CloudEvent<unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    const text = kafkaHeaderText(value);
    if (text !== undefined) headers[name] = text;
  }
  const value = record.value?.toString() ?? '';
  const message: KafkaMessage<string> = { key: record.key?.toString() ?? '', value, headers, body: value };
  const event = KafkaBinding.toEvent(message) as CloudEvent<unknown>;
  event.validate();
  return event;
}

/** A Kafka header's value as text (a repeated header's values joined with commas); undefined when it is absent. */
export function kafkaHeaderText(
  value: Buffer | string | (Buffer | string)[] | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value.join(',') : value).toString();
}
