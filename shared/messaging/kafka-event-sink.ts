import type { Kafka, Producer } from 'kafkajs';
import type { DomainEvent, EventSink } from '../domain/domain-event';
import { toKafkaRecord } from './cloud-event-kafka';

/**
 * Publishes events to one Kafka topic (the Knative Kafka broker's topic) with an idempotent producer and
 * acks from all in-sync replicas. The producer connects on first use and reconnects after a failure.
 */
export function kafkaEventSink(kafka: Kafka, topic: string): EventSink {
  let connected: Promise<Producer> | undefined;

  const producer = async (): Promise<Producer> => {
    connected ??= (async () => {
      const { Partitioners } = await import('kafkajs');
      // The Java-compatible partitioner: a key lands on the partition any other Kafka client would choose.
      const created = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await created.connect();
      return created;
    })();
    try {
      return await connected;
    } catch (error) {
      connected = undefined;
      throw error;
    }
  };

  return {
    async publish(events: readonly DomainEvent[]) {
      if (events.length === 0) return;
      const ready = await producer();
      try {
        await ready.send({ topic, acks: -1, messages: events.map(toKafkaRecord) });
      } catch (error) {
        // A failed send may leave the producer's connection and sequence state unusable: start afresh next time.
        connected = undefined;
        await ready.disconnect().catch(() => undefined);
        throw error;
      }
    },
    async close() {
      const current = connected;
      connected = undefined;
      if (current) await (await current.catch(() => undefined))?.disconnect();
    },
  };
}
