import { KafkaEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { createKafka } from '../../shared/kafka/create-kafka';
import { ensureTopics } from '../../shared/kafka/ensure-topics';
import { createLogger } from '../../shared/log/logger';

/**
 * Creates a benchmark's own events topic, as the cluster has the broker's topic before anything publishes (the
 * local Kafka creates no topic on first use), and returns how to delete it afterwards.
 */
export async function eventsTopic(topic: string): Promise<() => Promise<void>> {
  const kafka = await createKafka(
    { brokers: loadConfig(KafkaEnv).KAFKA_BROKERS, clientId: 'bench' },
    createLogger('bench', { level: 'silent' }),
  );
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic, numPartitions: 3 }]);
  return async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  };
}
