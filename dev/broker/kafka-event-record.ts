import { Kafka as KafkaBinding, type CloudEvent } from 'cloudevents';
import type { KafkaMessage, Message } from 'kafkajs';
import { kafkaHeaderText } from '../../shared/messaging/cloud-event-kafka';
import type { EventAttributes } from './event-filter';

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

const ATTRIBUTE_PREFIX = 'ce_';

/**
 * A binary-mode record's attributes as the SDK would decode them (`fromKafkaRecord`), read from its key and headers
 * alone: `ce_type` as `type`, the `content-type` header as `datacontenttype`, the key as `partitionkey`. Enough for
 * a Trigger's filter to pass over an event it does not want without decoding it. Undefined for a record in
 * structured mode (an `application/cloudevents…` content type, or no `ce_specversion` header): its attributes are
 * in its value.
 */
export function kafkaRecordAttributes(
  record: Pick<KafkaMessage, 'key' | 'headers'>,
): EventAttributes | undefined {
  const { headers } = record;
  if (headers?.[`${ATTRIBUTE_PREFIX}specversion`] === undefined) return undefined;
  const contentType = kafkaHeaderText(headers['content-type']);
  if (contentType?.startsWith('application/cloudevents')) return undefined;
  const attributes: Record<string, string> =
    contentType === undefined ? {} : { datacontenttype: contentType };
  for (const [header, value] of Object.entries(headers)) {
    const text = kafkaHeaderText(value);
    if (text === undefined || !header.startsWith(ATTRIBUTE_PREFIX)) continue;
    const name = header.slice(ATTRIBUTE_PREFIX.length);
    if (name !== 'time') attributes[name] = text;
    else if (text !== '') attributes[name] = isoTime(text);
  }
  attributes['partitionkey'] = record.key?.toString() ?? '';
  // The SDK stamps an event that carries no time (or an empty one) with the time it is read.
  attributes['time'] ??= new Date().toISOString();
  return attributes;
}

/** The SDK writes a record's time back as an ISO instant; one that is no date fails its decode anyway. */
function isoTime(text: string): string {
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? text : time.toISOString();
}
