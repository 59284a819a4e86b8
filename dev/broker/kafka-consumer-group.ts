import type { CloudEvent } from 'cloudevents';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../../shared/log/logger';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import type { EventHandler } from './broker-log';
import { matchesFilter, type EventFilter } from './event-filter';
import { kafkaRecordAttributes } from './kafka-event-record';
import type { StartOffset } from './kafka-start-offsets';
import { periodicCommits, type PeriodicCommits } from './periodic-commits';
import {
  generationConsumer,
  superviseConsumer,
  type Generation,
  type SupervisedConsumer,
} from './supervised-consumer';

const HEARTBEAT_MS = 1000;
const JOIN_TIMEOUT_MS = 30_000;
const FETCH_WAIT_MS = 500;
// Knative's dispatcher commits every 5 s (auto.commit.interval.ms); a local stack restarts its groups more often
// (Kafka restarted, a laptop waking up), and 1 s keeps what comes again after a crash small.
const COMMIT_INTERVAL_MS = 1000;

/** What runs a consumer group: kafkajs' client (a parameter, so a test can put faults between). */
export interface ConsumerGroupOptions {
  readonly kafka: Pick<Kafka, 'consumer'>;
  readonly groupId: string;
  readonly topic: string;
  /** Offsets to seek (and commit) when the group first joins; see endOffsetsOfNewPartitions. */
  readonly startAt: readonly StartOffset[];
  readonly handler: EventHandler;
  /** The handler's filter: a binary-mode record it refuses is passed over undecoded (see BrokerLog.subscribe). */
  readonly wanted?: EventFilter | undefined;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/**
 * Runs one consumer group over `topic`: partitions in parallel, each one event at a time in offset order, and a
 * position committed (every second, and when the consumer stops: periodicCommits) only once the handler resolved
 * (at-least-once). Records that are not CloudEvents are logged and skipped, and so, without a word, are records
 * whose headers `wanted` refuses: every group reads every event, and most are for other Triggers, so they are
 * passed over without being decoded. A consumer that crashes is replaced
 * (superviseConsumer): the group consumes until `signal` aborts or it is stopped. Resolves once the group has
 * joined and holds its partitions.
 */
export async function runOrderedConsumer(options: ConsumerGroupOptions): Promise<SupervisedConsumer> {
  const { groupId, signal, logger } = options;
  let seeksPending = true;
  let joined: () => void = () => undefined;
  const firstJoin = new Promise<void>((resolve) => {
    joined = resolve;
  });
  const group = await superviseConsumer({
    groupId,
    signal,
    logger,
    start: (generation) =>
      startConsumer(options, generation, (consumer, commits) => {
        // The start offsets are applied once, at the group's first join, whichever generation that is, and
        // committed at once. A later generation resumes from the committed offsets: seeking to the end again would
        // skip what was appended while it was down. (A partition whose seek was not committed yet starts from its
        // beginning: duplicates, which consumers tolerate, never a gap.)
        if (seeksPending) {
          seeksPending = false;
          for (const start of options.startAt) {
            consumer.seek({ topic: options.topic, ...start });
            commits.reached(start.partition, start.offset);
          }
          void commits.flush();
        }
        joined();
      }),
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`Consumer group ${groupId} did not join within ${JOIN_TIMEOUT_MS} ms`));
    }, JOIN_TIMEOUT_MS);
  });
  try {
    await Promise.race([firstJoin, late]);
  } catch (error) {
    await group.stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return group;
}

/** Connects, subscribes and runs one generation's consumer; `onJoin` is called at each of its joins. */
async function startConsumer(
  options: ConsumerGroupOptions,
  generation: Generation,
  onJoin: (consumer: Consumer, commits: PeriodicCommits) => void,
): Promise<Consumer> {
  const { kafka, groupId, topic, handler, wanted, logger } = options;
  const { signal } = generation;
  // A short fetch wait: kafkajs waits for the fetch in flight when it stops, which a restart should not feel.
  const consumer = generationConsumer(kafka, { groupId, maxWaitTimeInMs: FETCH_WAIT_MS }, generation);
  const commits = periodicCommits({ consumer, topic, intervalMs: COMMIT_INTERVAL_MS, logger });
  generation.beforeDisconnect(() => commits.stop());
  // Emitted before the first fetch, which applies seeks made here first.
  consumer.on(consumer.events.GROUP_JOIN, () => {
    onJoin(consumer, commits);
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 16,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => {
        const work = (async () => {
          const { batch } = payload;
          for (const message of batch.messages) {
            if (!payload.isRunning() || payload.isStale() || signal.aborted) return;
            const event = refused(message, wanted)
              ? undefined
              : parse(message, logger.child({ groupId, partition: batch.partition }));
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
            commits.reached(batch.partition, (BigInt(message.offset) + 1n).toString());
          }
        })();
        generation.track(work);
        return work;
      },
    });
  } catch (error) {
    await commits.stop();
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
  return consumer;
}

/** Whether the record's headers alone show that `wanted` refuses its event. */
function refused(message: KafkaMessage, wanted: EventFilter | undefined): boolean {
  if (wanted === undefined) return false;
  const attributes = kafkaRecordAttributes(message);
  return attributes !== undefined && !matchesFilter(wanted, attributes);
}

function parse(message: KafkaMessage, logger: Logger): CloudEvent<unknown> | undefined {
  try {
    return fromKafkaRecord(message);
  } catch (error) {
    logger.warn('skipped a record that is not a valid CloudEvent', { offset: message.offset, error });
    return undefined;
  }
}
