import { randomUUID } from 'node:crypto';
import { startLocalStack, type LocalStack } from '../../dev/local-stack/local-stack';
import type { StackTracing } from '../../dev/local-stack/stack-tracing';
import {
  createCassandraClient,
  cassandraClientOptions,
} from '../../shared/cassandra/create-cassandra-client';
import { CassandraEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import type { Logger } from '../../shared/domain/logger';
import { createTopic, deleteGroups, deleteTopics, testKafka } from './kafka-fixture';
import { dropDatabase } from './sql-fixture';

/** The local stack on real MariaDB, Kafka and Cassandra, with databases, a keyspace, topics and groups of its own. */
export interface InfraStack {
  readonly stack: LocalStack;
  /** Each service's database. */
  readonly databases: Readonly<Record<'user' | 'order' | 'product', string>>;
  /** Stops the stack and removes everything it was given. */
  readonly remove: () => Promise<void>;
}

export async function startInfraStack(options: {
  readonly logger: Logger;
  /** How many times the dev broker delivers each event to each Trigger's subscriber (default 1). */
  readonly brokerCopies?: number;
  /** Traces to this Zipkin (dev/local-stack/stack-tracing.ts); off by default. */
  readonly tracing?: StackTracing;
}): Promise<InfraStack> {
  const suffix = randomUUID().slice(0, 8);
  const databases = {
    user: `e2e_user_${suffix}`,
    order: `e2e_order_${suffix}`,
    product: `e2e_product_${suffix}`,
  };
  const keyspace = `e2e_${suffix}`;
  const kafka = testKafka();
  const kafkaNames = {
    eventsTopic: await createTopic(kafka, 'e2e-events'),
    deadLetterTopic: await createTopic(kafka, 'e2e-dlq'),
    consumerGroupPrefix: `e2e-${suffix}.`,
  };
  const remove = async (stack?: LocalStack) => {
    await stack?.stop();
    for (const name of Object.values(databases)) await dropDatabase(name);
    const cassandra = createCassandraClient(cassandraClientOptions(loadConfig(CassandraEnv)));
    await cassandra.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await cassandra.shutdown();
    await deleteGroups(kafka, (group) => group.startsWith(kafkaNames.consumerGroupPrefix));
    await deleteTopics(kafka, [kafkaNames.eventsTopic, kafkaNames.deadLetterTopic]);
  };
  try {
    const stack = await startLocalStack({
      mode: 'infra',
      kafka: kafkaNames,
      dataDir: '',
      gatewayPort: 0,
      gatewayHttpsPort: 0,
      brokerPort: 0,
      ...(options.brokerCopies === undefined ? {} : { brokerCopies: options.brokerCopies }),
      ...(options.tracing ? { tracing: options.tracing } : {}),
      logger: options.logger,
      envFor: (service) => ({ MYSQL_DATABASE: databases[service], CASSANDRA_KEYSPACE: keyspace }),
    });
    return { stack, databases, remove: () => remove(stack) };
  } catch (error) {
    await remove();
    throw error;
  }
}
