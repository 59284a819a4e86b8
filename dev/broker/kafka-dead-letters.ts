import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../../shared/log/logger';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import { fromDeadLetterEvent, type DeadLetter } from './dead-letter';
import { generationConsumer, superviseConsumer } from './supervised-consumer';

const CATCH_UP_TIMEOUT_MS = 10_000;

/** Lists the dead letters of a DLQ topic: a reader that follows the topic from its beginning. */
export interface DeadLetterReader {
  /** Everything in the topic up to now (waits until the reader caught up with the topic's end). */
  list(): Promise<DeadLetter[]>;
  stop(): Promise<void>;
}

/**
 * Reads the DLQ topic (what the Triggers' KafkaSink receives) into memory with a throw-away consumer group
 * that commits nothing and is deleted on stop. `list` first waits for the reader to reach the offsets the topic
 * has now, so a dead letter written just before is listed.
 */
export async function startDeadLetterReader(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  logger: Logger,
  signal: AbortSignal,
): Promise<DeadLetterReader> {
  const letters: DeadLetter[] = [];
  const next = new Map<number, bigint>();
  const groupId = `ecom-dev-broker-dead-letters-${randomUUID()}`;
  // Supervised as the Triggers' groups are (a broker restart can end a kafkajs consumer for good). A new consumer
  // reads the topic from its beginning again (nothing is committed): records already read are skipped.
  const reader = await superviseConsumer({
    groupId,
    signal,
    logger,
    async start(generation) {
      const consumer = generationConsumer(kafka, { groupId, maxWaitTimeInMs: 500 }, generation);
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachMessage: ({ partition, message }) => {
            const offset = BigInt(message.offset);
            if (offset < (next.get(partition) ?? 0n)) return Promise.resolve();
            try {
              letters.push(
                fromDeadLetterEvent(fromKafkaRecord(message), new Date(Number(message.timestamp))),
              );
            } catch (error) {
              logger.warn('skipped a dead-letter record that is not a CloudEvent', { partition, error });
            }
            next.set(partition, offset + 1n);
            return Promise.resolve();
          },
        });
      } catch (error) {
        await consumer.disconnect().catch(() => undefined);
        throw error;
      }
      return consumer;
    },
  });

  const caughtUp = async () => {
    const ends = await admin.fetchTopicOffsets(topic);
    return ends.every((p) => p.high === p.low || (next.get(p.partition) ?? -1n) >= BigInt(p.high));
  };

  return {
    async list() {
      const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
      while (!(await caughtUp())) {
        if (Date.now() > deadline) throw new Error(`The dead letters of ${topic} could not be read in time`);
        await sleep(20);
      }
      return [...letters].sort((a, b) => a.deadLetteredAt.localeCompare(b.deadLetteredAt));
    },
    async stop() {
      await reader.stop();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    },
  };
}
