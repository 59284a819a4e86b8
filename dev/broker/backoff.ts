import type { DeliverySpec } from './delivery-spec';

/**
 * The wait before retry number `retry` (1 for the first retry), as Knative's Kafka broker dispatcher computes it
 * (eventing-kafka-broker, WebClientCloudEventSender): exponential = backoffDelay * 2^retry, so the first retry
 * waits twice the delay; linear = backoffDelay * retry. `backoffMax`, when set, caps the wait.
 */
export function backoffMs(delivery: DeliverySpec, retry: number): number {
  const wait =
    delivery.backoffPolicy === 'linear'
      ? delivery.backoffDelayMs * retry
      : delivery.backoffDelayMs * Math.round(2 ** retry);
  return delivery.backoffMaxMs === undefined ? wait : Math.min(wait, delivery.backoffMaxMs);
}
