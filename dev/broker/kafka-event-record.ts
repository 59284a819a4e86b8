import { Kafka as KafkaBinding, type CloudEvent } from 'cloudevents';
import type { Message } from 'kafkajs';

/**
 * Any CloudEvent as a Kafka record in the CloudEvents Kafka binding, binary mode, as the Knative Kafka broker's
 * ingress writes it: attributes as `ce_` headers, the data as the value, and the key = the `partitionkey`
 * extension, so one aggregate's events share a partition. (`shared/messaging/cloud-event-kafka.ts` does the same
 * for our own DomainEvents; `fromKafkaRecord` there reads both back.)
 */
export function toKafkaMessage(event: CloudEvent<unknown>): Message {
  const binary = KafkaBinding.binary(event);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(binary.headers)) {
    if (value !== undefined) headers[name] = String(value);
  }
  const value = serialise(event);
  // The binding leaves content-type unset when the event has no datacontenttype: JSON data is still JSON.
  if (headers['content-type'] === undefined && typeof event.data === 'object' && event.data !== null) {
    headers['content-type'] = 'application/json';
  }
  const key = event['partitionkey'];
  return { key: typeof key === 'string' ? key : null, value, headers, timestamp: binary.timestamp };
}

function serialise(event: CloudEvent<unknown>): Buffer | string | null {
  const { data } = event;
  if (data === undefined || data === null) return null;
  if (typeof data === 'string' || Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data);
  return JSON.stringify(data);
}
