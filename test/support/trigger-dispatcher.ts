import { setTimeout as sleep } from 'node:timers/promises';
import { HTTP, type CloudEvent } from 'cloudevents';
import type { Kafka } from 'kafkajs';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import { uniqueName } from './unique-name';

/** How one record ended: delivered (2xx), dead-lettered (any other final status), or not a CloudEvent at all. */
export interface Delivery {
  readonly eventId: string | undefined;
  readonly type: string | undefined;
  /** The subscriber's last answer; 0 when it could not be reached, or the record was not a CloudEvent. */
  readonly status: number;
  readonly attempts: number;
  readonly outcome: 'delivered' | 'dead-letter' | 'unparseable';
}

export interface TriggerOptions {
  readonly kafka: Kafka;
  /** The broker's topic. */
  readonly topic: string;
  /** Where the subscriber (a function) listens. */
  readonly subscriber: string;
  /** The Trigger's filter on `type`; every event when absent. */
  readonly eventTypes?: readonly string[];
  /** Attempts per event, retries included; default 5. */
  readonly attempts?: number;
  /** First backoff; doubled per retry (Knative's exponential policy); default 50 ms. */
  readonly backoffMs?: number;
}

export interface TriggerDispatcher {
  readonly deliveries: readonly Delivery[];
  /** Waits until `count` deliveries have ended (fails after `timeoutMs`). */
  waitForDeliveries(count: number, timeoutMs?: number): Promise<readonly Delivery[]>;
  stop(): Promise<void>;
}

// The statuses on which Knative's Kafka broker redelivers; every other non-2xx goes to the dead-letter sink.
const RETRIED = new Set([404, 408, 409, 429]);
const isRetried = (status: number) => status === 0 || status >= 500 || RETRIED.has(status);

/**
 * What a Knative Trigger on the Kafka broker does, for tests: a consumer group of its own on the broker's topic
 * turns each binary-mode CloudEvent record into an HTTP POST in binary content mode (`ce-*` headers, JSON body) to
 * the subscriber, keeps the events its filter matches, and retries 5xx, 404, 408, 409, 429 and unreachable
 * subscribers with exponential backoff. Records are handled one at a time per partition, in order, as the broker
 * does with ordered delivery.
 */
export async function startTriggerDispatcher(options: TriggerOptions): Promise<TriggerDispatcher> {
  const deliveries: Delivery[] = [];
  const consumer = options.kafka.consumer({ groupId: uniqueName('trigger') });
  let stopped = false;
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      let event: CloudEvent<unknown>;
      try {
        event = fromKafkaRecord(message);
      } catch {
        deliveries.push({
          eventId: undefined,
          type: undefined,
          status: 0,
          attempts: 0,
          outcome: 'unparseable',
        });
        return;
      }
      if (options.eventTypes && !options.eventTypes.includes(event.type)) return;
      deliveries.push(await deliver(event, options, () => stopped));
    },
  });

  return {
    deliveries,
    async waitForDeliveries(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (deliveries.length < count) {
        if (Date.now() > deadline) throw new Error(`${deliveries.length} of ${count} deliveries ended`);
        await sleep(50);
      }
      return deliveries;
    },
    async stop() {
      stopped = true;
      await consumer.disconnect();
    },
  };
}

async function deliver(
  event: CloudEvent<unknown>,
  options: TriggerOptions,
  isStopped: () => boolean,
): Promise<Delivery> {
  const message = HTTP.binary(event);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) headers[name] = String(value);
  const body =
    typeof message.body === 'string'
      ? message.body
      : Buffer.isBuffer(message.body)
        ? message.body.toString('utf8')
        : JSON.stringify(message.body);
  const maxAttempts = options.attempts ?? 5;
  let status = 0;
  let attempts = 0;
  while (attempts < maxAttempts && !isStopped()) {
    if (attempts > 0) await sleep((options.backoffMs ?? 50) * 2 ** (attempts - 1));
    attempts++;
    status = await post(options.subscriber, headers, body);
    if (!isRetried(status)) break;
  }
  const delivered = status >= 200 && status < 300;
  return {
    eventId: event.id,
    type: event.type,
    status,
    attempts,
    outcome: delivered ? 'delivered' : 'dead-letter',
  };
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
