import path from 'node:path';
import { startDevBroker, type DevBroker } from '../../dev/broker/dev-broker';
import { BASE_DIR } from '../../dev/deploy/render-knative';
import { loadKnativeConfig } from '../../dev/broker/trigger-config';
import type { Sleep } from '../../dev/broker/delivery';
import type { DeliveryOutcome } from '../../dev/broker/trigger-handler';
import { KafkaEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import type { RunningFunctions } from './functions';
import { createTopic, deleteGroups, deleteTopics, testKafka } from './kafka-fixture';
import { testLogger } from './test-logger';
import { uniqueName } from './unique-name';

/**
 * The dev broker on real Kafka, delivering per the Triggers of knative/ (their filters and delivery specs) to the
 * functions a test runs in process, on the topic `topic` and a dead-letter topic and consumer groups of the test's
 * own. Events for functions the test does not run wait in the log, as they would for a function scaled to zero.
 */
export interface TestBroker extends DevBroker {
  /** How each delivery ended so far. */
  readonly deliveries: readonly DeliveryOutcome[];
  /** Resolves once `count` deliveries matching `which` have ended (fails after `timeoutMs`). */
  waitForDeliveries(
    which: (outcome: DeliveryOutcome) => boolean,
    count: number,
    timeoutMs?: number,
  ): Promise<DeliveryOutcome[]>;
}

export async function startTestBroker(options: {
  readonly topic: string;
  readonly functions: readonly RunningFunctions[];
  /**
   * Also hands the dead letters to the KafkaSource's function (count-dead-letters), reading the test's dead-letter
   * topic as knative/'s KafkaSource reads `ecom-dlq`. Off by default: a test without that function would leave its
   * deliveries retrying in the background.
   */
  readonly readsDeadLetters?: boolean;
  /** How the Triggers wait between attempts (default: the real timers; see scaled-sleep.ts). */
  readonly sleep?: Sleep;
}): Promise<TestBroker> {
  const brokers = loadConfig(KafkaEnv).KAFKA_BROKERS;
  const kafka = testKafka(brokers);
  const dlqTopic = await createTopic(kafka, 'test-dlq');
  const knativeDir = path.resolve(__dirname, '../..', BASE_DIR);
  const sources = options.readsDeadLetters
    ? (await loadKnativeConfig(knativeDir)).sources.map((source) => ({ ...source, topics: [dlqTopic] }))
    : [];
  const groupPrefix = `${uniqueName('test')}.`;
  const deliveries: DeliveryOutcome[] = [];
  const watchers = new Set<() => void>();
  const broker = await startDevBroker({
    onDelivery: (outcome) => {
      deliveries.push(outcome);
      for (const watcher of watchers) watcher();
    },
    knativeDir,
    sources,
    log: { kind: 'kafka', brokers, topic: options.topic, dlqTopic },
    consumerGroupPrefix: groupPrefix,
    subscribers: (name) => {
      const running = options.functions.find((fns) => fns.has(name));
      return running ? new URL(running.url(name)) : undefined;
    },
    ...(options.sleep ? { sleep: options.sleep } : {}),
    port: 0,
    logger: testLogger('test-broker'),
  });
  return {
    ...broker,
    // The broker's own consumer groups and dead-letter topic go with it; the events topic is the test's.
    async close() {
      await broker.close();
      await deleteGroups(kafka, (group) => group.startsWith(groupPrefix));
      await deleteTopics(kafka, [dlqTopic]);
    },
    deliveries,
    waitForDeliveries(which, count, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const matching = deliveries.filter(which);
          if (matching.length < count) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve(matching);
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(
            new Error(`${deliveries.filter(which).length} of ${count} deliveries ended in ${timeoutMs} ms`),
          );
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
  };
}
