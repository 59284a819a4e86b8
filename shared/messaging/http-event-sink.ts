import { HTTP } from 'cloudevents';
import { toCloudEvent } from './domain-cloud-event';
import type { DomainEvent, EventSink } from '../domain/domain-event';

/**
 * Publishes events by POSTing them, one at a time and in order, in binary content mode to a broker ingress: the
 * `K_SINK` URL a Knative SinkBinding injects (and the local stack's dev broker). The second transport beside
 * Kafka; an answer other than 2xx fails the publish, so the outbox keeps the event for the next run.
 */
export function httpEventSink(sinkUrl: string, timeoutMs = 5000): EventSink {
  return {
    async publish(events: readonly DomainEvent[]) {
      for (const event of events) {
        const message = HTTP.binary(toCloudEvent(event));
        const headers = Object.fromEntries(
          Object.entries(message.headers).map(([name, value]) => [name, String(value)]),
        );
        const response = await fetch(sinkUrl, {
          method: 'POST',
          headers,
          body: JSON.stringify(event.data),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer();
        if (!response.ok)
          throw new Error(`The broker ingress answered ${response.status} for event ${event.id}`);
      }
    },
    close: () => Promise.resolve(),
  };
}
