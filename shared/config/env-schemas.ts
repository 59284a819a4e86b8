import { z } from 'zod';
import { KafkaSecurityEnv } from './kafka-security-env';
import { secret } from './secret';

/**
 * Environment variables shared by every function and by the local infrastructure scripts.
 * Names are part of the deployment contract (ConfigMaps and Secrets in knative/ set them).
 */

/** Comma-separated `host:port` list, as Kafka and Cassandra clients take it. */
const hostList = z
  .string()
  .min(1)
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const port = z.coerce.number().int().min(1).max(65535);

export const MysqlEnv = z.object({
  MYSQL_HOST: z.string().min(1).default('127.0.0.1'),
  MYSQL_PORT: port.default(3306),
  MYSQL_USER: z.string().min(1).default('root'),
  MYSQL_PASSWORD: secret(z.string().default('')),
});
export type MysqlEnv = z.infer<typeof MysqlEnv>;

/** Where Kafka is, who the client is, and how it authenticates (TLS and SASL: kafka-security-env.ts). */
export const KafkaEnv = KafkaSecurityEnv.extend({
  KAFKA_BROKERS: hostList.default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).default('ecom'),
});
export type KafkaEnv = z.infer<typeof KafkaEnv>;

export const CassandraEnv = z.object({
  CASSANDRA_CONTACT_POINTS: hostList.default(['127.0.0.1:9042']),
  CASSANDRA_LOCAL_DC: z.string().min(1).default('datacenter1'),
});
export type CassandraEnv = z.infer<typeof CassandraEnv>;
