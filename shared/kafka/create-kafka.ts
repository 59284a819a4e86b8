import type { Kafka } from 'kafkajs';
import type { Logger } from '../log/logger';
import { kafkaLogCreator } from './kafka-log';

export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Fail fast (ms) when a broker does not answer, so callers can retry on their own schedule. */
  readonly connectionTimeoutMs?: number;
  /** kafkajs' own retry budget for one operation. */
  readonly retries?: number;
}

/** Builds a kafkajs client; loaded lazily so functions that never touch Kafka do not pay for it at start. */
export async function createKafka(connection: KafkaConnection, logger: Logger): Promise<Kafka> {
  const { Kafka, logLevel } = await import('kafkajs');
  return new Kafka({
    clientId: connection.clientId,
    brokers: [...connection.brokers],
    connectionTimeout: connection.connectionTimeoutMs ?? 3000,
    retry: { retries: connection.retries ?? 3, initialRetryTime: 200, maxRetryTime: 3000 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
  });
}
