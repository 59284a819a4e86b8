import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionContext } from 'ava';
import { ConfigResourceTypes, type Admin, type IResourceConfigEntry } from 'kafkajs';
import { KafkaEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { ensureTopics } from '../../shared/kafka/ensure-topics';
import { testKafka } from './kafka-fixture';
import { uniqueName } from './unique-name';

/** What one test owns on the test Kafka: the broker's topic, its dead-letter topic, its consumer groups. */
export interface BrokerKafkaState {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly dlqTopic: string;
  /** To give the dev broker (`consumerGroupPrefix`): every group its Triggers make starts with it. */
  readonly consumerGroupPrefix: string;
  /** Sets configuration entries of the DLQ topic and waits until the broker reports them. */
  configureDlq(entries: readonly IResourceConfigEntry[]): Promise<void>;
}

/**
 * Creates a test's topics (3 partitions, so order per key is really tested; the DLQ topic with `dlqConfig`) and,
 * at the end of the test, deletes them and every consumer group made under its prefix. Call it before starting a
 * broker: AVA runs teardowns last-registered first, so the brokers are closed (their consumers have left their
 * groups) before this deletes the groups.
 */
export async function brokerKafkaState(
  t: ExecutionContext,
  dlqConfig: readonly IResourceConfigEntry[] = [],
): Promise<BrokerKafkaState> {
  const brokers = loadConfig(KafkaEnv).KAFKA_BROKERS;
  const admin = testKafka(brokers).admin();
  await admin.connect();
  const topic = uniqueName('dev_broker');
  const dlqTopic = uniqueName('dev_dlq');
  const consumerGroupPrefix = `${uniqueName('dev-broker-test')}.`;
  t.teardown(() => removeState(admin, [topic, dlqTopic], consumerGroupPrefix));
  await ensureTopics(admin, [
    { topic, numPartitions: 3 },
    { topic: dlqTopic, numPartitions: 3, configEntries: [...dlqConfig] },
  ]);
  return {
    brokers,
    topic,
    dlqTopic,
    consumerGroupPrefix,
    async configureDlq(entries) {
      const resource = { type: ConfigResourceTypes.TOPIC, name: dlqTopic };
      await admin.alterConfigs({
        validateOnly: false,
        resources: [{ ...resource, configEntries: [...entries] }],
      });
      // The change is applied through the metadata log: wait until the broker answers with it.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const described = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ ...resource, configNames: entries.map((e) => e.name) }],
        });
        const now = described.resources[0]?.configEntries ?? [];
        if (entries.every((e) => now.some((c) => c.configName === e.name && c.configValue === e.value)))
          return;
        if (Date.now() > deadline) throw new Error(`${dlqTopic} still has ${JSON.stringify(now)}`);
        await sleep(20);
      }
    },
  };
}

async function removeState(admin: Admin, topics: string[], groupPrefix: string): Promise<void> {
  try {
    const { groups } = await admin.listGroups();
    const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(groupPrefix));
    if (ours.length > 0) await admin.deleteGroups(ours);
    await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
