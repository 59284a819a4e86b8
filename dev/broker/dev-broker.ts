import { join } from 'node:path';
import type { KafkaSecurity } from '../../shared/kafka/kafka-security';
import { createLogger, type Logger } from '../../shared/log/logger';
import type { BrokerLog } from './broker-log';
import { brokerRoutes } from './broker-routes';
import { startBrokerServer } from './broker-server';
import type { DeadLetter } from './dead-letter';
import type { Sleep } from './delivery';
import { openKafkaBrokerLog } from './kafka-broker-log';
import { openMemoryBrokerLog } from './memory-broker-log';
import { sourceHandler } from './source-handler';
import {
  loadKnativeConfig,
  type BrokerConfig,
  type KafkaSourceConfig,
  type TriggerConfig,
} from './trigger-config';
import {
  consumerGroupOf,
  triggerHandler,
  type DeliveryOutcome,
  type SubscriberResolver,
} from './trigger-handler';

/**
 * The broker log: real Kafka (topics default to the Broker's annotation and `ecom-dlq`; `security` its TLS and
 * SASL, absent: PLAINTEXT), or SQLite under `dir`.
 */
export type DevBrokerLogOptions =
  | {
      kind: 'kafka';
      brokers: readonly string[];
      security?: KafkaSecurity;
      topic?: string;
      dlqTopic?: string;
    }
  | { kind: 'embedded'; dir: string };

export interface DevBrokerOptions {
  /** The Triggers to serve, or the directory of Knative manifests to read them from (`knative/`). */
  readonly triggers?: readonly TriggerConfig[];
  /** The KafkaSources to serve (default: those of the manifests); only those reading the dead-letter topic run. */
  readonly sources?: readonly KafkaSourceConfig[];
  readonly knativeDir?: string;
  /** The broker to serve (default: the one Broker of the manifests, else `ecom/default`). */
  readonly broker?: Pick<BrokerConfig, 'namespace' | 'name'>;
  readonly log: DevBrokerLogOptions;
  /** Where each subscriber Service listens; asked at every delivery attempt. */
  readonly subscribers: SubscriberResolver;
  /** Told how each delivery ended (a test waits on it rather than on time). */
  readonly onDelivery?: (outcome: DeliveryOutcome) => void;
  /** Put before every Trigger's consumer group (`<prefix>ecom.<trigger>`): a test's groups are its own. */
  readonly consumerGroupPrefix?: string;
  /**
   * How the Triggers wait: the backoff between attempts and the pause before keeping a dead letter again
   * (default: the real timers). A test hands in a clock it controls; the per-attempt timeout stays real.
   */
  readonly sleep?: Sleep;
  /**
   * Each event is delivered this many times at once to each Trigger (default 1): at-least-once delivery at its
   * worst, for tests that prove every consumer applies an event once.
   */
  readonly copies?: number;
  /** Default 8081 on 127.0.0.1; 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly logger?: Logger;
}

export interface DevBroker {
  /** The broker ingress, what `K_SINK` points to: `http://host:port/<namespace>/<broker>`. */
  readonly ingressUrl: string;
  readonly url: string;
  /** The Triggers served (those of this broker). */
  readonly triggers: readonly TriggerConfig[];
  deadLetters(): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

/** The dead-letter topic (the KafkaSink's, deploy-settings.ts DLQ) unless the log options name another. */
const DEFAULT_DLQ_TOPIC = 'ecom-dlq';

/** The embedded log's default folder, under the git-ignored `.data/`. */
export const DEFAULT_EMBEDDED_DIR = join('.data', 'embedded');

/**
 * Starts the local stack's broker: Knative Kafka-broker semantics over a Kafka topic or the embedded log. Every
 * Trigger of the broker is subscribed (live) before the ingress accepts events, so nothing accepted is missed.
 */
export async function startDevBroker(options: DevBrokerOptions): Promise<DevBroker> {
  const logger = options.logger ?? createLogger('dev-broker');
  const config = options.knativeDir ? await loadKnativeConfig(options.knativeDir) : undefined;
  const found = config?.brokers.length === 1 ? config.brokers[0] : undefined;
  const broker = { namespace: 'ecom', name: 'default', ...found, ...options.broker };
  const triggers = (options.triggers ?? config?.triggers ?? []).filter(
    (t) => t.namespace === broker.namespace && t.broker === broker.name,
  );
  const ingressPath = `/${broker.namespace}/${broker.name}`;
  const dlqTopic = (options.log.kind === 'kafka' ? options.log.dlqTopic : undefined) ?? DEFAULT_DLQ_TOPIC;
  // The dev broker keeps one topic of its own besides the broker's: the dead letters. A source of another topic
  // would read nothing here.
  const sources = (options.sources ?? config?.sources ?? []).filter((s) => s.topics.includes(dlqTopic));

  const server = await startBrokerServer(options.port ?? 8081, options.host ?? '127.0.0.1');
  let log: BrokerLog | undefined;
  try {
    log = await openLog(options.log, broker, logger);
    const deps = {
      log,
      subscribers: options.subscribers,
      logger,
      onDelivery: options.onDelivery,
      sleep: options.sleep,
      copies: options.copies,
    };
    const prefix = options.consumerGroupPrefix ?? '';
    await Promise.all([
      ...triggers.map((t) =>
        deps.log.subscribe(prefix + consumerGroupOf(t), triggerHandler(t, deps), t.filter),
      ),
      ...sources.map((s) => deps.log.subscribeDeadLetters(prefix + s.consumerGroup, sourceHandler(s, deps))),
    ]);
    server.serve(brokerRoutes({ ingressPath, log, logger }));
  } catch (error) {
    await log?.close();
    await server.close();
    throw error;
  }
  const opened = log;
  let closed: Promise<void> | undefined;
  logger.info('dev broker listening', {
    ingress: server.url + ingressPath,
    triggers: triggers.map((t) => t.name),
    sources: sources.map((s) => s.name),
  });
  return {
    ingressUrl: server.url + ingressPath,
    url: server.url,
    triggers,
    deadLetters: () => opened.deadLetters(),
    close() {
      closed ??= server.close().then(() => opened.close());
      return closed;
    },
  };
}

function openLog(options: DevBrokerLogOptions, broker: BrokerConfig, logger: Logger): Promise<BrokerLog> {
  if (options.kind === 'embedded') return openMemoryBrokerLog(options.dir, logger);
  const topic = options.topic ?? broker.topic ?? 'ecom-events';
  const dlqTopic = options.dlqTopic ?? DEFAULT_DLQ_TOPIC;
  const { brokers, security } = options;
  return openKafkaBrokerLog({ brokers, security, topic, dlqTopic }, logger);
}
