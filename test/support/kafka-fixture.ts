import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { KafkaEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { ensureTopics } from '../../shared/kafka/ensure-topics';
import { uniqueName } from './unique-name';

/** A record as a test reads it back from Kafka. */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: IHeaders;
}

/** A kafkajs client on the test broker (KAFKA_BROKERS, default the one `npm run infra:up` starts). */
export function testKafka(brokers?: readonly string[]): Kafka {
  return new Kafka({
    clientId: 'ecom-tests',
    brokers: [...(brokers ?? loadConfig(KafkaEnv).KAFKA_BROKERS)],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 3, initialRetryTime: 200 },
  });
}

/** Creates a topic of its own for one test, with several partitions so per-key ordering is really tested. */
export async function createTopic(kafka: Kafka, prefix: string, partitions = 3): Promise<string> {
  const topic = uniqueName(prefix);
  await ensureTopic(kafka, topic, partitions);
  return topic;
}

/** Creates `topic` unless it exists, as Knative creates the Kafka broker's topic before anything subscribes. */
export async function ensureTopic(kafka: Kafka, topic: string, partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [{ topic, numPartitions: partitions }]);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads a topic from the beginning until `count` records arrived, or until `until` holds for what was read
 * (fails after `timeoutMs`).
 */
export async function readRecords(
  kafka: Kafka,
  topic: string,
  expected: number | { until: (records: readonly ReadRecord[]) => boolean },
  timeoutMs = 30_000,
): Promise<ReadRecord[]> {
  const done =
    typeof expected === 'number'
      ? (records: readonly ReadRecord[]) => records.length >= expected
      : expected.until;
  const groupId = uniqueName('test-reader');
  const consumer = kafka.consumer({ groupId });
  const records: ReadRecord[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`Read ${records.length} records from ${topic} in ${timeoutMs} ms, not what was expected`),
        );
      }, timeoutMs);
      void consumer.run({
        eachMessage: ({ partition, message }) => {
          records.push({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            headers: message.headers ?? {},
          });
          if (done(records)) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
    await deleteGroups(kafka, [groupId]);
  }
  return records;
}

/** Deletes a test's topics (its own: nothing else uses them); topics already gone are fine. */
export async function deleteTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    // One at a time: a topic listed but already being deleted (two services of one test on the same topic)
    // is refused as unknown, which must not keep the others.
    for (const topic of topics.filter((name) => existing.has(name))) {
      await admin.deleteTopics({ topics: [topic] }).catch((error: unknown) => {
        if (!isUnknownTopic(error)) throw error;
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Deletes a test's consumer groups (those named, or those a predicate picks, such as a prefix of its own), once
 * their consumers are gone; groups already gone are fine.
 */
export async function deleteGroups(
  kafka: Kafka,
  which: readonly string[] | ((group: string) => boolean),
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = (await admin.listGroups()).groups.map((group) => group.groupId);
    const mine = existing.filter((group) =>
      typeof which === 'function' ? which(group) : which.includes(group),
    );
    if (mine.length > 0) await admin.deleteGroups(mine);
  } finally {
    await admin.disconnect();
  }
}

function isUnknownTopic(error: unknown): boolean {
  const cause = error instanceof Error ? (error as Error & { cause?: { type?: unknown } }).cause : undefined;
  return cause?.type === 'UNKNOWN_TOPIC_OR_PARTITION';
}
