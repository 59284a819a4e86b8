import { CloudEvent } from 'cloudevents';
import type { DomainEvent } from '../domain/domain-event';

/** The CloudEvent of a DomainEvent, the same on every transport (Kafka binding, HTTP to a broker ingress). */
export function toCloudEvent(event: DomainEvent): CloudEvent<Readonly<Record<string, unknown>>> {
  return new CloudEvent({
    id: event.id,
    type: event.type,
    source: event.source,
    subject: event.subject,
    time: event.time.toISOString(),
    datacontenttype: 'application/json',
    partitionkey: event.partitionKey,
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
    data: event.data,
  });
}
