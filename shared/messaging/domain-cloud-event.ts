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
    // The CloudEvents distributed-tracing extension: `ce_traceparent` / `ce-traceparent` on the wire.
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
    ...(event.traceparent && event.tracestate ? { tracestate: event.tracestate } : {}),
    data: event.data,
  });
}
