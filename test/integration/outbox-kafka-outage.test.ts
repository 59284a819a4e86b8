import test from 'ava';
import { createKafka } from '../../shared/kafka/create-kafka';
import { createLogger } from '../../shared/log/logger';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import { kafkaEventSink } from '../../shared/messaging/kafka-event-sink';
import { outboxMigration } from '../../shared/outbox/outbox-migration';
import { relayOutbox } from '../../shared/outbox/relay-outbox';
import { migrate } from '../../shared/sql/migrate';
import { createTopic, readRecords, testKafka } from '../support/kafka-fixture';
import { commitEvents, pendingEvents } from '../support/outbox-fixture';
import { privateKafka } from '../support/private-kafka';
import { sqlFixture } from '../support/sql-fixture';

const logger = createLogger('outbox-outage-test', { level: 'silent' });

test('Kafka stopped between commit and publish: nothing is lost, order per key holds', async (t) => {
  t.timeout(240_000);
  const kafka = await privateKafka();
  t.teardown(() => kafka.destroy());
  await kafka.start();
  const db = await sqlFixture('mysql', 'test_outbox_outage');
  t.teardown(() => db.drop());
  await migrate(db.sequelize, [outboxMigration]);
  const admin = testKafka(kafka.brokers);
  const topic = await createTopic(admin, 'outage');
  // A relay as the PingSource runs it: a new process (sink) each time.
  const relay = async () => {
    const sink = kafkaEventSink(
      await createKafka({ brokers: kafka.brokers, clientId: 'outage-relay', retries: 1 }, logger),
      topic,
    );
    try {
      return await relayOutbox({ sequelize: db.sequelize, sink, batchSize: 5 });
    } finally {
      await sink.close();
    }
  };
  const orders = ['order-a', 'order-b', 'order-c'];

  await commitEvents(db.sequelize, orders, 1, 2); // published while Kafka runs
  t.is(await relay(), 6);

  await commitEvents(db.sequelize, orders, 3, 3); // committed, then Kafka stops before the relay runs
  await kafka.stop();
  await commitEvents(db.sequelize, orders, 4, 5); // committed while Kafka is down
  await t.throwsAsync(relay());
  t.is(await pendingEvents(db.sequelize), 9, 'a failed publish marks nothing as sent');

  await kafka.start();
  t.is(await relay(), 9);
  t.is(await pendingEvents(db.sequelize), 0);
  t.is(await relay(), 0);

  const records = await readRecords(testKafka(kafka.brokers), topic, 15);
  const events = records.map((record) => fromKafkaRecord(record));
  t.is(new Set(events.map((e) => e.id)).size, 15, 'every committed event arrived');
  for (const orderId of orders) {
    const steps = events
      .filter((e) => e.subject === orderId)
      .map((e) => (e.data as { step: number }).step)
      .filter((step, index, all) => all.indexOf(step) === index); // at-least-once: ignore re-deliveries
    t.deepEqual(steps, [1, 2, 3, 4, 5], orderId);
  }
});
