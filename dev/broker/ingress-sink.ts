import { CloudEvent, HTTP } from 'cloudevents';
import type { DomainEvent, EventSink } from '../../shared/messaging/domain-event';

const TIMEOUT_MS = 10_000;

/**
 * An EventSink that publishes to a broker ingress (K_SINK) over HTTP, in binary content mode: the second
 * transport of ARCHITECTURE.md, which lets the embedded stack's outbox relay publish without Kafka. Events are
 * sent one by one, in order; `publish` throws at the first one the broker does not accept with a 2xx (the
 * outbox keeps it and the rest for the next run).
 */
export function brokerIngressSink(ingressUrl: string | URL): EventSink {
  return {
    async publish(events: readonly DomainEvent[]) {
      for (const event of events) {
        const message = HTTP.binary(toCloudEvent(event));
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers)) {
          if (value !== undefined) headers[name] = String(value);
        }
        const response = await fetch(ingressUrl, {
          method: 'POST',
          headers,
          body: JSON.stringify(event.data),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const text = await response.text();
        if (!response.ok) {
          throw new Error(
            `The broker refused event ${event.id}: HTTP ${response.status} ${text.slice(0, 200)}`,
          );
        }
      }
    },
    close: () => Promise.resolve(),
  };
}

/** The CloudEvent of a DomainEvent, with the attributes `toKafkaRecord` gives it on the Kafka transport. */
function toCloudEvent(event: DomainEvent): CloudEvent<unknown> {
  return new CloudEvent<unknown>({
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
