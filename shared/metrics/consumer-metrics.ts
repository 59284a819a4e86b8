import type { DeliveryOutcomeName } from '../tracing/consumer-span';
import {
  CLOUDEVENTS_EVENT_TYPE,
  DELIVERY_DUPLICATE,
  DELIVERY_OUTCOME,
  ERROR_TYPE,
  MESSAGING_SYSTEM,
} from '../tracing/span-attributes';
import { DURATION_BUCKETS_S, lazyInstruments, secondsSince } from './meter';

/** What the broker does next with a delivery, per our answer (shared/runtime/delivery-outcome.ts). */
export type DeliveryAction = 'ack' | 'retry' | 'dead_letter';

/** The semantic conventions' messaging operation name of a consumer handling one message. */
const MESSAGING_OPERATION_NAME = 'messaging.operation.name';

const instruments = lazyInstruments((meter) => ({
  duration: meter.createHistogram('messaging.process.duration', {
    unit: 's',
    description: 'Duration of processing one delivered CloudEvent.',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
  }),
  consumed: meter.createCounter('ecom.events.consumed', {
    unit: '{event}',
    description:
      'Deliveries answered, by event type and outcome: ack (processed or a duplicate), retry, or dead_letter.',
  }),
}));

/** What the consumer did with one delivery, and whether the broker will deliver it again. */
export interface ConsumedDelivery {
  readonly outcome: DeliveryOutcomeName;
  readonly status: number;
  /** A refusal the broker retries (a 5xx, 404, 408, 409, 429); otherwise a refusal is dead-lettered at once. */
  readonly retried: boolean;
}

/** The broker's next step for a delivery: an answered event is acked (a duplicate too), a refused one retried or dead-lettered. */
export function deliveryAction(consumed: ConsumedDelivery): DeliveryAction {
  if (consumed.outcome !== 'refused') return 'ack';
  return consumed.retried ? 'retry' : 'dead_letter';
}

/**
 * Records one delivery in `messaging.process.duration` (seconds) and `ecom.events.consumed`, by event type and
 * `ecom.delivery.outcome` (ack, retry or dead_letter); a duplicate is an ack marked `ecom.delivery.duplicate`, a
 * refusal carries the status answered as `error.type`. The type is the event's when the function subscribes to it,
 * `_OTHER` for another (a sender cannot make up series), and absent when the request was no CloudEvent.
 *
 * The `dead_letter` outcomes are what the runtime has the broker send to the dead-letter sink at once. A retried
 * delivery may reach that sink too once the broker's retries run out: `ecom.events.dead_lettered`
 * (dead-letter-metrics.ts) counts every record of the sink.
 */
export function recordDelivery(
  event: { readonly type: string | undefined; readonly subscribed: { has(type: string): boolean } },
  consumed: ConsumedDelivery,
  startedAt: number,
): void {
  const { type, subscribed } = event;
  const attributes = {
    [MESSAGING_SYSTEM]: 'kafka',
    [MESSAGING_OPERATION_NAME]: 'process',
    ...(type === undefined ? {} : { [CLOUDEVENTS_EVENT_TYPE]: subscribed.has(type) ? type : '_OTHER' }),
    [DELIVERY_OUTCOME]: deliveryAction(consumed),
    ...(consumed.outcome === 'duplicate' ? { [DELIVERY_DUPLICATE]: true } : {}),
    ...(consumed.outcome === 'refused' ? { [ERROR_TYPE]: String(consumed.status) } : {}),
  };
  const { duration, consumed: counter } = instruments();
  duration.record(secondsSince(startedAt), attributes);
  counter.add(1, attributes);
}
