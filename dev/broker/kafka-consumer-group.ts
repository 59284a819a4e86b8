import type { CloudEvent } from 'cloudevents';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../../shared/log/logger';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import type { EventHandler } from './broker-log';
import type { StartOffset } from './kafka-start-offsets';

const HEARTBEAT_MS = 1000;
const JOIN_TIMEOUT_MS = 30_000;
const FETCH_WAIT_MS = 500;

/**
 * Runs one consumer group over `topic`: partitions in parallel, each one event at a time in offset order, and an
 * offset committed only once the handler resolved (at-least-once). Records that are not CloudEvents are logged
 * and skipped. Resolves once the group has joined and holds its partitions.
 */
export async function runOrderedConsumer(options: {
  kafka: Kafka;
  groupId: string;
  topic: string;
  /** Offsets to seek (and commit) when the group first joins; see endOffsetsOfNewPartitions. */
  startAt: readonly StartOffset[];
  handler: EventHandler;
  signal: AbortSignal;
  logger: Logger;
}): Promise<Consumer> {
  const { kafka, groupId, topic, handler, signal, logger } = options;
  // A short fetch wait: kafkajs waits for the fetch in flight when it stops, which a restart should not feel.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: FETCH_WAIT_MS });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const joined = new Promise<void>((resolve) => {
    const stop = consumer.on(consumer.events.GROUP_JOIN, () => {
      stop();
      // Emitted before the first fetch, which applies (and, with autoCommit, commits) these seeks first.
      for (const start of options.startAt) consumer.seek({ topic, ...start });
      resolve();
    });
  });
  await consumer.run({
    partitionsConsumedConcurrently: 16,
    eachBatchAutoResolve: false,
    autoCommitThreshold: 1,
    eachBatch: async (payload) => {
      const { batch } = payload;
      for (const message of batch.messages) {
        if (!payload.isRunning() || payload.isStale() || signal.aborted) return;
        const event = parse(message, logger.child({ groupId, partition: batch.partition }));
        if (event) {
          // A delivery with retries can outlast the session timeout: keep the membership alive meanwhile.
          const beat = setInterval(() => void payload.heartbeat().catch(() => undefined), HEARTBEAT_MS);
          try {
            await handler(event, signal);
          } catch {
            return; // Aborted: leave the offset unresolved, so the event is delivered again.
          } finally {
            clearInterval(beat);
          }
        }
        payload.resolveOffset(message.offset);
        await payload.commitOffsetsIfNecessary();
      }
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`Consumer group ${groupId} did not join within ${JOIN_TIMEOUT_MS} ms`));
    }, JOIN_TIMEOUT_MS);
  });
  try {
    await Promise.race([joined, late]);
  } catch (error) {
    await consumer.disconnect();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return consumer;
}

function parse(message: KafkaMessage, logger: Logger): CloudEvent<unknown> | undefined {
  try {
    return fromKafkaRecord(message);
  } catch (error) {
    logger.warn('skipped a record that is not a valid CloudEvent', { offset: message.offset, error });
    return undefined;
  }
}
