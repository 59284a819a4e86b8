import { setMaxListeners } from 'node:events';
import type { Producer } from 'kafkajs';
import { createKafka } from '../../shared/kafka/create-kafka';
import { ensureTopics } from '../../shared/kafka/ensure-topics';
import type { KafkaSecurity } from '../../shared/kafka/kafka-security';
import type { Logger } from '../../shared/log/logger';
import type { BrokerLog, EventHandler } from './broker-log';
import type { EventFilter } from './event-filter';
import { runOrderedConsumer } from './kafka-consumer-group';
import { startDeadLetterReader, type DeadLetterReader } from './kafka-dead-letters';
import { toKafkaMessage } from './kafka-event-record';
import { endOffsetsOfNewPartitions } from './kafka-start-offsets';
import type { SupervisedConsumer } from './supervised-consumer';

/** Where the Kafka-backed log lives: the broker's topic and the DLQ topic of its KafkaSink. */
export interface KafkaLogOptions {
  readonly brokers: readonly string[];
  /** TLS and SASL, as the functions reach the same Kafka (KafkaEnv); absent: PLAINTEXT. */
  readonly security?: KafkaSecurity;
  readonly topic: string;
  readonly dlqTopic: string;
  /** Partitions of the topics when the broker creates them (default 3). */
  readonly partitions?: number;
}

/**
 * The broker log on real Kafka, as the Knative Kafka broker keeps it: events in the broker's topic (binary
 * mode, keyed by `partitionkey`, so the outbox's records and the ingress's share one stream), one consumer group
 * per Trigger, dead letters in the DLQ topic. Creates missing topics, as Knative creates the broker's topic.
 */
export async function openKafkaBrokerLog(options: KafkaLogOptions, logger: Logger): Promise<BrokerLog> {
  const { brokers, security } = options;
  const kafka = await createKafka({ brokers, clientId: 'ecom-dev-broker', security }, logger);
  const admin = kafka.admin();
  await admin.connect();
  const { Partitioners } = await import('kafkajs');
  // The Java-compatible partitioner, as kafka-event-sink.ts: a key lands where the outbox would put it.
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumers: SupervisedConsumer[] = [];
  const closing = new AbortController();
  // Every consumer group listens to it (one per Trigger): more than Node's warning threshold of 10.
  setMaxListeners(0, closing.signal);
  let deadLetters: DeadLetterReader;
  try {
    const numPartitions = options.partitions ?? 3;
    await ensureTopics(
      admin,
      [options.topic, options.dlqTopic].map((topic) => ({ topic, numPartitions })),
    );
    await producer.connect();
    deadLetters = await startDeadLetterReader(kafka, admin, options.dlqTopic, logger, closing.signal);
  } catch (error) {
    // Nothing may stay connected: an open client keeps the caller's process alive.
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    throw error;
  }

  const follow = async (topic: string, groupId: string, handler: EventHandler, wanted?: EventFilter) => {
    const startAt = await endOffsetsOfNewPartitions(admin, groupId, topic);
    const { signal } = closing;
    consumers.push(
      await runOrderedConsumer({ kafka, groupId, topic, startAt, handler, wanted, signal, logger }),
    );
  };

  return {
    async append(events) {
      if (events.length === 0) return;
      await producer.send({ topic: options.topic, acks: -1, messages: events.map(toKafkaMessage) });
    },
    subscribe: (groupId, handler, wanted) => follow(options.topic, groupId, handler, wanted),
    subscribeDeadLetters: (groupId, handler) => follow(options.dlqTopic, groupId, handler),
    async keepDeadLetter(event) {
      await producer.send({ topic: options.dlqTopic, acks: -1, messages: [toKafkaMessage(event)] });
    },
    deadLetters: () => deadLetters.list(),
    async close() {
      closing.abort(new Error('The dev broker is closing'));
      await Promise.allSettled([...consumers.map((consumer) => consumer.stop()), deadLetters.stop()]);
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    },
  };
}
