import { KafkaEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { startFunctions, type RunningFunctions } from './functions';
import { deleteTopics, ensureTopic, testKafka } from './kafka-fixture';
import { dropDatabase } from './sql-fixture';
import { uniqueName } from './unique-name';

/** The configured admin of every test user service. */
export const ADMIN = { email: 'admin@shop.test', password: 'admin-password-for-tests' } as const;

/** The user service's functions in this process, on a database and an events topic of their own. */
export interface UserServiceUnderTest extends RunningFunctions {
  readonly database: string;
  readonly eventsTopic: string;
  readonly kafkaBrokers: readonly string[];
  /** Stops the functions as SIGTERM does, keeping the database and the topic for the test to read. */
  stop(): Promise<void>;
}

/**
 * Starts every function of the user service (found in functions/user/) on real MariaDB and Kafka, with a fresh
 * database and topic (both dropped or left to the topic's retention at close) and the test admin.
 */
export async function startUserService(
  overrides: Readonly<Record<string, string>> = {},
): Promise<UserServiceUnderTest> {
  const settings = {
    MYSQL_DATABASE: uniqueName('test_user'),
    EVENTS_TOPIC: uniqueName('test-events'),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...overrides,
  };
  const kafkaBrokers = loadConfig(KafkaEnv, { ...process.env, ...settings }).KAFKA_BROKERS;
  await ensureTopic(testKafka(kafkaBrokers), settings.EVENTS_TOPIC);
  const running = await startFunctions({ service: 'user', env: settings });
  let stopped: Promise<void> | undefined;
  return {
    ...running,
    database: settings.MYSQL_DATABASE,
    eventsTopic: settings.EVENTS_TOPIC,
    kafkaBrokers,
    stop: () => (stopped ??= running.close()),
    async close() {
      await (stopped ??= running.close());
      await dropDatabase(settings.MYSQL_DATABASE);
      await deleteTopics(testKafka(kafkaBrokers), [settings.EVENTS_TOPIC]);
    },
  };
}
