// A Kafka that wants SASL/SCRAM, as in production: the local Kafka's SASL_PLAINTEXT listener (dev/infra/kafka-scram.ts)
// with its one user. Clients are configured from environment variables, as a function or the dev broker is.
import test from 'ava';
import { CloudEvent } from 'cloudevents';
import type { Kafka } from 'kafkajs';
import { openKafkaBrokerLog } from '../../dev/broker/kafka-broker-log';
import { infraEnv } from '../../dev/infra/infra-env';
import { withTimeout } from '../../dev/infra/wait-until';
import { loadConfig } from '../../shared/config/load-config';
import { createKafka, kafkaConnection } from '../../shared/kafka/create-kafka';
import { ensureTopics } from '../../shared/kafka/ensure-topics';
import { kafkaSecurityOf } from '../../shared/kafka/kafka-security';
import { createLogger } from '../../shared/log/logger';
import { EventSinkEnv } from '../../shared/messaging/event-sink-env';
import { uniqueName } from '../support/unique-name';

const logger = createLogger('kafka-scram-test', { level: 'silent' });
const { scram } = infraEnv.kafka;
// Only the broker on its default port has the listener (infra-env.ts); elsewhere there is nothing to test against.
const scramTest = scram ? test : test.skip;

/** What a function's environment holds on a cluster whose Kafka wants SCRAM over SASL_PLAINTEXT. */
function scramEnv(mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512', password = scram?.password) {
  return loadConfig(EventSinkEnv, {
    KAFKA_BROKERS: scram ? `${scram.host}:${scram.port}` : '',
    KAFKA_CLIENT_ID: 'kafka-scram-test',
    KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USER: scram?.user,
    KAFKA_SASL_PASSWORD: password,
  });
}

async function roundTrip(kafka: Kafka, topic: string): Promise<string[]> {
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: topic, maxWaitTimeInMs: 200 });
  try {
    await admin.connect();
    await ensureTopics(admin, [{ topic, numPartitions: 1 }]);
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'one' }, { value: 'two' }] });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: ({ message }) => {
          received.push(message.value?.toString() ?? '');
          if (received.length === 2) resolve();
          return Promise.resolve();
        },
      });
    });
    return received;
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.deleteGroups([topic]).catch(() => undefined);
    await admin.disconnect();
  }
}

for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
  scramTest(`${mechanism}: a client with the right password produces and consumes`, async (t) => {
    const kafka = await createKafka(kafkaConnection(scramEnv(mechanism)), logger);
    t.deepEqual(await roundTrip(kafka, uniqueName('scram')), ['one', 'two']);
  });

  scramTest(`${mechanism}: a client with a wrong password is refused`, async (t) => {
    const kafka = await createKafka(kafkaConnection(scramEnv(mechanism, 'not-the-password')), logger);
    const producer = kafka.producer();
    const error = await t.throwsAsync(producer.connect());
    t.is(error.name, 'KafkaJSSASLAuthenticationError');
    t.regex(error.message, /invalid credentials/i);
    t.false(error.message.includes('not-the-password'), 'the password is not in the error');
    await producer.disconnect();
  });
}

scramTest('the dev broker reaches a SCRAM Kafka with the same settings', async (t) => {
  const env = scramEnv('SCRAM-SHA-512');
  const topic = uniqueName('scram_broker');
  const group = uniqueName('scram_group');
  const log = await openKafkaBrokerLog(
    { brokers: env.KAFKA_BROKERS, security: kafkaSecurityOf(env), topic, dlqTopic: `${topic}_dlq` },
    logger,
  );
  try {
    const event = new CloudEvent<unknown>({
      type: 'com.ecom.test.happened',
      source: '/ecom/test/scram',
      partitionkey: 'scram-1',
      data: { n: 1 },
    });
    let resolve: (id: string) => void = () => undefined;
    const delivered = new Promise<string>((done) => (resolve = done));
    // A new group starts at the end of the log; subscribe resolves once it is live, so the append reaches it.
    await log.subscribe(group, (received) => {
      resolve(received.id);
      return Promise.resolve();
    });
    await log.append([event]);
    t.is(await withTimeout('the delivery', 20_000, delivered), event.id);
  } finally {
    await log.close();
    const admin = (await createKafka(kafkaConnection(env), logger)).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, `${topic}_dlq`] }).catch(() => undefined);
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
  }
});
