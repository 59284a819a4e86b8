import type { Kafka, KafkaConfig } from 'kafkajs';
import type { KafkaEnv } from '../config/env-schemas';
import type { Logger } from '../log/logger';
import { kafkaLogCreator } from './kafka-log';
import { kafkaClientSecurity, kafkaSecurityOf, type KafkaSecurity } from './kafka-security';

export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS and SASL (KAFKA_SECURITY_PROTOCOL and the rest, see kafka-security-env.ts); absent: PLAINTEXT. */
  readonly security?: KafkaSecurity;
  /** Fail fast (ms) when a broker does not answer, so callers can retry on their own schedule. */
  readonly connectionTimeoutMs?: number;
  /** kafkajs' own retry budget for one operation. */
  readonly retries?: number;
}

/**
 * The connection a parsed KafkaEnv describes: its brokers, client id and security. `overrides` set what a caller
 * decides itself (a tool's own client id, a shorter retry budget).
 */
export function kafkaConnection(env: KafkaEnv, overrides: Partial<KafkaConnection> = {}): KafkaConnection {
  return {
    brokers: env.KAFKA_BROKERS,
    clientId: env.KAFKA_CLIENT_ID,
    security: kafkaSecurityOf(env),
    ...overrides,
  };
}

/**
 * The kafkajs client options for a connection, but for the log level (a kafkajs value, loaded with kafkajs).
 * Inconsistent security settings throw a ConfigError naming the variable.
 */
export function kafkaClientConfig(connection: KafkaConnection, logger: Logger): KafkaConfig {
  return {
    clientId: connection.clientId,
    brokers: [...connection.brokers],
    ...(connection.security ? kafkaClientSecurity(connection.security) : {}),
    connectionTimeout: connection.connectionTimeoutMs ?? 3000,
    retry: { retries: connection.retries ?? 3, initialRetryTime: 200, maxRetryTime: 3000 },
    logCreator: kafkaLogCreator(logger),
  };
}

/** Builds a kafkajs client; loaded lazily so functions that never touch Kafka do not pay for it at start. */
export async function createKafka(connection: KafkaConnection, logger: Logger): Promise<Kafka> {
  // Before kafkajs loads: bad settings fail at once, with no driver loaded for nothing.
  const config = kafkaClientConfig(connection, logger);
  const { Kafka, logLevel } = await import('kafkajs');
  return new Kafka({ ...config, logLevel: logLevel.WARN });
}
