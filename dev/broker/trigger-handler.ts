import type { Logger } from '../../shared/log/logger';
import type { BrokerLog, EventHandler } from './broker-log';
import { toDeadLetterEvent } from './dead-letter';
import { deliver, realSleep, type Sleep } from './delivery';
import { matchesFilter } from './event-filter';
import type { TriggerConfig } from './trigger-config';

/** Where a Knative Service (a function) listens now; undefined when it is not running. */
export type SubscriberResolver = (serviceName: string) => URL | undefined;

/** How one Trigger's delivery of one event ended (after its retries), for whoever watches the broker. */
export interface DeliveryOutcome {
  readonly trigger: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly status: number;
  readonly attempts: number;
  readonly delivered: boolean;
}

const RETRY_DEAD_LETTER_MS = 1000;

/** The consumer group of a Trigger (one per Trigger, so each Trigger gets every event). */
export function consumerGroupOf(trigger: TriggerConfig): string {
  return `${trigger.namespace}.${trigger.name}`;
}

/**
 * What one Trigger does with each event of the broker's log: events its filter refuses end at once; the others
 * are delivered with the Trigger's retries and backoff, and a final failure is kept as a dead letter before the
 * event counts as done. When the dead letter cannot be kept (Kafka down), it is tried again until it can or the
 * broker closes: an event never ends without an outcome.
 */
export function triggerHandler(
  trigger: TriggerConfig,
  deps: {
    log: BrokerLog;
    subscribers: SubscriberResolver;
    logger: Logger;
    onDelivery?: ((outcome: DeliveryOutcome) => void) | undefined;
    /** How the backoff and the dead-letter retries wait (default: the real timers). */
    sleep?: Sleep | undefined;
    /** Deliveries of each event, all at once (default 1; see DevBrokerOptions.copies). */
    copies?: number | undefined;
  },
): EventHandler {
  const logger = deps.logger.child({ trigger: `${trigger.namespace}/${trigger.name}` });
  const target = () => subscriberUrl(trigger, deps.subscribers);
  const sleep = deps.sleep ?? realSleep;
  const copies = deps.copies ?? 1;
  return async (event, signal) => {
    if (!matchesFilter(trigger.filter, event)) return;
    await Promise.all(Array.from({ length: copies }, () => deliverOnce(event, signal)));
  };

  /** One delivery of the event, with the Trigger's retries, and its dead letter when they are spent. */
  async function deliverOnce(event: Parameters<EventHandler>[0], signal: Parameters<EventHandler>[1]) {
    const result = await deliver(event, target, trigger.delivery, signal, sleep);
    const fields = {
      eventId: event.id,
      eventType: event.type,
      status: result.status,
      attempts: result.attempts,
    };
    deps.onDelivery?.({ trigger: trigger.name, delivered: result.delivered, ...fields });
    if (result.delivered) {
      logger.debug('event delivered', fields);
      return;
    }
    logger.warn('event dead-lettered', { ...fields, error: result.error });
    // Where the last attempt went, not where the subscriber is now: it may have moved since.
    const subscriber = result.target ?? trigger.subscriber.service ?? String(trigger.subscriber.uri);
    const deadLetter = toDeadLetterEvent(event, trigger, subscriber, result);
    for (;;) {
      try {
        await deps.log.keepDeadLetter(deadLetter);
        return;
      } catch (error) {
        logger.error('could not keep a dead letter, trying again', { eventId: event.id, error });
        await sleep(RETRY_DEAD_LETTER_MS, signal);
      }
    }
  }
}

/** The subscriber's URL: the Service's address (plus a relative `uri` path), or an absolute `uri`. */
function subscriberUrl(trigger: TriggerConfig, subscribers: SubscriberResolver): URL | undefined {
  const { service, uri } = trigger.subscriber;
  if (service === undefined) return uri === undefined ? undefined : new URL(uri);
  const base = subscribers(service);
  return base && uri !== undefined ? new URL(uri, base) : base;
}
