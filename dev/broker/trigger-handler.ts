import type { CloudEvent } from 'cloudevents';
import type { Logger } from '../../shared/log/logger';
import type { BrokerLog, EventHandler } from './broker-log';
import { toDeadLetterEvent } from './dead-letter';
import { deliver, realSleep, type Sleep } from './delivery';
import { matchesFilter } from './event-filter';
import type { DeliverySpec, Destination, TriggerConfig } from './trigger-config';

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
  const target = () => destinationUrl(trigger.subscriber, deps.subscribers);
  const sleep = deps.sleep ?? realSleep;
  const copies = deps.copies ?? 1;
  return async (event, signal) => {
    if (!matchesFilter(trigger.filter, event)) return;
    await Promise.all(Array.from({ length: copies }, () => deliverOnce(event, signal)));
  };

  /** One delivery of the event, with the Trigger's retries, and its dead letter when they are spent. */
  async function deliverOnce(event: Parameters<EventHandler>[0], signal: Parameters<EventHandler>[1]) {
    const { result, fields } = await deliverAndReport(trigger.name, event, target, trigger.delivery, {
      ...deps,
      sleep,
      signal,
    });
    if (result.delivered) {
      logger.debug('event delivered', fields);
      return;
    }
    logger.warn('event dead-lettered', { ...fields, error: result.error });
    const where = {
      destination: knativeDestination(trigger),
      // Where the last attempt went, not where the subscriber is now: it may have moved since.
      lastTarget: result.target ?? trigger.subscriber.service ?? String(trigger.subscriber.uri),
    };
    const deadLetter = toDeadLetterEvent(event, trigger, where, result);
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

/**
 * Delivers `event` with `delivery`'s retries, tells `onDelivery` how it ended (under `name`: a Trigger's or a
 * source's), and answers the result with the fields its log lines carry.
 */
export async function deliverAndReport(
  name: string,
  event: CloudEvent<unknown>,
  target: () => URL | undefined,
  delivery: DeliverySpec,
  deps: {
    readonly onDelivery?: ((outcome: DeliveryOutcome) => void) | undefined;
    readonly sleep: Sleep;
    readonly signal: AbortSignal;
  },
) {
  const result = await deliver(event, target, delivery, deps.signal, deps.sleep);
  const fields = {
    eventId: event.id,
    eventType: event.type,
    status: result.status,
    attempts: result.attempts,
  };
  deps.onDelivery?.({ trigger: name, delivered: result.delivered, ...fields });
  return { result, fields };
}

/** A destination's URL now: the Service's address (plus a relative `uri` path), or an absolute `uri`. */
export function destinationUrl(destination: Destination, subscribers: SubscriberResolver): URL | undefined {
  const { service, uri } = destination;
  if (service === undefined) return uri === undefined ? undefined : new URL(uri);
  const base = subscribers(service);
  return base && uri !== undefined ? new URL(uri, base) : base;
}

/**
 * The dead letter's `knativeerrordest`, the subscriber as Knative resolves it on a cluster: a Service's address
 * (`http://<name>.<namespace>.svc.cluster.local`, plus a relative `uri`), so a reader of dead letters finds the
 * function's name where it would on the cluster; or the absolute `uri`.
 */
function knativeDestination(trigger: TriggerConfig): string {
  const { service, uri } = trigger.subscriber;
  if (service === undefined) return String(uri);
  const address = `http://${service}.${trigger.namespace}.svc.cluster.local`;
  return uri === undefined ? address : new URL(uri, address).toString();
}
