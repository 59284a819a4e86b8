// Watches the broker's Kafka topic from the bench: when each event was written (its CloudEvent time, set in the
// transaction that stored it; the outbox also stamps the record with it) and when it could be read from Kafka.
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { kafkaRecordAttributes } from '../../dev/broker/kafka-event-record';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';

export interface Seen {
  readonly type: string;
  readonly key: string;
  /** When its transaction wrote it (epoch ms). */
  readonly written: number;
  /** When this consumer read it from Kafka (epoch ms). */
  readonly read: number;
}

export interface KafkaWatch {
  /** The events seen so far with this partition key, in the order read. */
  of(key: string): Seen[];
  /** The first event with this key of one of `types`, once read (at once if it was); rejects after `timeoutMs`. */
  first(key: string, types: readonly string[], timeoutMs: number): Promise<Seen>;
  stop(): Promise<void>;
}

/** Reads `topic` from its end as a consumer group of its own, as every Trigger's group of the broker does. */
export async function watchKafka(brokers: readonly string[], topic: string): Promise<KafkaWatch> {
  const seen = new Map<string, Seen[]>();
  const waiting = new Set<{ key: string; types: readonly string[]; found: (entry: Seen) => void }>();
  const kafka = new Kafka({ brokers: [...brokers], clientId: 'bench-watch', logLevel: logLevel.NOTHING });
  // The dev broker's fetch wait, so this reads as soon as its Triggers' groups do.
  const consumer: Consumer = kafka.consumer({
    groupId: `bench-watch-${String(Date.now())}`,
    maxWaitTimeInMs: 500,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: false });
  await consumer.run({
    // A throwaway group: nothing to resume from, so no offset commits adding to Kafka's load.
    autoCommit: false,
    // eslint-disable-next-line @typescript-eslint/require-await -- kafkajs's handler type is async
    eachMessage: async ({ message }) => {
      const read = Date.now();
      // From the headers where the record has its attributes there, as the dev broker's groups read it: the watch
      // should cost the cores the saga runs on no more than one of them.
      const attributes = kafkaRecordAttributes(message) ?? fromKafkaRecord(message);
      const { type, time, partitionkey, subject } = attributes;
      const key = typeof partitionkey === 'string' && partitionkey !== '' ? partitionkey : String(subject);
      const entry = { type: String(type), key, written: Date.parse(String(time)), read };
      seen.set(key, [...(seen.get(key) ?? []), entry]);
      for (const waiter of waiting) {
        if (waiter.key === key && waiter.types.includes(entry.type)) waiter.found(entry);
      }
    },
  });
  return {
    of: (key) => seen.get(key) ?? [],
    first: (key, types, timeoutMs) => {
      const already = (seen.get(key) ?? []).find((entry) => types.includes(entry.type));
      if (already) return Promise.resolve(already);
      return new Promise<Seen>((resolve, reject) => {
        const waiter = {
          key,
          types,
          found: (entry: Seen) => {
            clearTimeout(timer);
            waiting.delete(waiter);
            resolve(entry);
          },
        };
        const timer = setTimeout(() => {
          waiting.delete(waiter);
          reject(new Error(`no ${types.join(' or ')} about ${key} within ${String(timeoutMs)} ms`));
        }, timeoutMs);
        waiting.add(waiter);
      });
    },
    stop: () => consumer.disconnect(),
  };
}
