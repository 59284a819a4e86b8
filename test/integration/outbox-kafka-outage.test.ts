import test from 'ava';
import type { DomainEvent } from '../../shared/domain/domain-event';
import { createKafka } from '../../shared/kafka/create-kafka';
import { createLogger } from '../../shared/log/logger';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import { kafkaEventSink } from '../../shared/messaging/kafka-event-sink';
import { outboxMigrations } from '../../shared/outbox/outbox-migration';
import { relayOutbox } from '../../shared/outbox/relay-outbox';
import { migrate } from '../../shared/sql/migrate';
import { createTopic, readRecords, testKafka } from '../support/kafka-fixture';
import { commitEvents, pendingEvents } from '../support/outbox-fixture';
import { privateKafka } from '../support/private-kafka';
import { sqlFixture } from '../support/sql-fixture';

const logger = createLogger('outbox-outage-test', { level: 'silent' });

/**
 * At-least-once with order per key: each key's steps arrive in order, except that a publish cut short is sent
 * again from its first unacknowledged event, so the sequence may step back and then replay in order. An old event
 * arriving alone after newer ones, or a gap, fails.
 */
function inOrderWithReplays(steps: readonly number[], last: number): boolean {
  let highest = 0;
  for (const [i, step] of steps.entries()) {
    const previous = steps[i - 1] ?? 0;
    const continues = step === previous + 1;
    const replayStarts = i > 0 && step <= previous;
    if ((!continues && !replayStarts) || step > highest + 1) return false;
    highest = Math.max(highest, step);
  }
  return highest === last;
}

test('the order check refuses an old event alone after newer ones, and gaps', (t) => {
  t.true(inOrderWithReplays([1, 2, 3, 4, 5], 5));
  t.true(inOrderWithReplays([1, 2, 3, 2, 3, 4, 5], 5));
  t.false(inOrderWithReplays([1, 2, 3, 4, 2, 5], 5));
  t.false(inOrderWithReplays([1, 2, 4, 5], 5));
  t.false(inOrderWithReplays([2, 1, 3, 4, 5], 5));
  t.false(inOrderWithReplays([1, 2, 3, 4], 5));
});

test('Kafka stopped between commit and publish, and killed during a send: nothing is lost, order per key holds', async (t) => {
  t.timeout(240_000);
  const kafka = await privateKafka();
  t.teardown(() => kafka.destroy());
  await kafka.start();
  const db = await sqlFixture('mysql', 'test_outbox_outage');
  t.teardown(() => db.drop());
  await migrate(db.sequelize, outboxMigrations);
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

  // Killed while a send is in flight: whatever the broker took before it died, what it did not confirm stays.
  await commitEvents(db.sequelize, orders, 6, 8);
  const sink = kafkaEventSink(
    await createKafka({ brokers: kafka.brokers, clientId: 'outage-relay', retries: 1 }, logger),
    topic,
  );
  let killed = false;
  const killing = {
    async publish(events: readonly DomainEvent[]) {
      const sending = sink.publish(events);
      if (!killed) {
        killed = true;
        kafka.kill();
      }
      await sending;
    },
    close: () => sink.close(),
  };
  await t.throwsAsync(relayOutbox({ sequelize: db.sequelize, sink: killing, batchSize: 5 }));
  await sink.close().catch(() => undefined);
  t.true(killed);
  t.true((await pendingEvents(db.sequelize)) > 0, 'the cut batch stays in the outbox');
  await kafka.start();
  await relay();
  t.is(await pendingEvents(db.sequelize), 0);

  const records = await readRecords(testKafka(kafka.brokers), topic, {
    until: (read) => new Set(read.map((record) => fromKafkaRecord(record).id)).size === 24,
  });
  const events = records.map((record) => fromKafkaRecord(record));
  t.is(new Set(events.map((e) => e.id)).size, 24, 'every committed event arrived');
  for (const orderId of orders) {
    const steps = events.filter((e) => e.subject === orderId).map((e) => (e.data as { step: number }).step);
    t.true(inOrderWithReplays(steps, 8), `${orderId}: ${steps.join(', ')}`);
  }
});
