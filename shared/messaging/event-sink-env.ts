import { z } from 'zod';
import { KafkaEnv } from '../config/env-schemas';

/**
 * Where a service's events go: the Kafka topic of the Knative Kafka broker, or the broker ingress `K_SINK` when
 * set (Knative's SinkBinding sets it; the embedded local stack points it at its dev broker).
 */
export const EventSinkEnv = KafkaEnv.extend({
  /** The Kafka topic of the Knative Kafka broker (`kafka.eventing.knative.dev/external.topic`). */
  EVENTS_TOPIC: z.string().min(1).default('ecom-events'),
  K_SINK: z.url().optional(),
});
export type EventSinkEnv = z.infer<typeof EventSinkEnv>;
