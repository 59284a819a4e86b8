import { parseIsoDurationMs } from './iso-duration';
import type { DeliveryResource } from './knative-resources';

/** A Trigger's delivery spec, merged over its Broker's, with defaults filled in and durations in ms. */
export interface DeliverySpec {
  /** Retries after the first attempt (attempts = 1 + retry). */
  readonly retry: number;
  readonly backoffPolicy: 'linear' | 'exponential';
  readonly backoffDelayMs: number;
  readonly backoffMaxMs?: number | undefined;
  /** Time allowed to one HTTP attempt. */
  readonly timeoutMs: number;
  /** The dead-letter sink's name (a ref's name or a uri); undefined when the Trigger has none. */
  readonly deadLetterSink?: string | undefined;
}

// The cluster fills these from its own defaults (config-br-defaults); the dev broker takes no retry unless asked,
// Knative's default policy and documented delay, and a timeout short enough to notice a hung function.
const DEFAULTS = {
  retry: 0,
  backoffPolicy: 'exponential',
  backoffDelay: 'PT0.2S',
  timeout: 'PT60S',
} as const;

/** Merges field by field, as Knative does: the Trigger's values win over its Broker's. */
export function toDeliverySpec(
  brokerDelivery: DeliveryResource | undefined,
  triggerDelivery: DeliveryResource | undefined,
): DeliverySpec {
  const delivery = { ...DEFAULTS, ...brokerDelivery, ...triggerDelivery };
  // The schema already checked every duration.
  const ms = (text: string) => parseIsoDurationMs(text) ?? 0;
  const sink = delivery.deadLetterSink;
  return {
    retry: delivery.retry,
    backoffPolicy: delivery.backoffPolicy,
    backoffDelayMs: ms(delivery.backoffDelay),
    backoffMaxMs: delivery.backoffMax === undefined ? undefined : ms(delivery.backoffMax),
    timeoutMs: ms(delivery.timeout),
    deadLetterSink: sink ? (sink.ref?.name ?? sink.uri) : undefined,
  };
}
