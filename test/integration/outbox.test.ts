import { setTimeout } from 'node:timers/promises';
import test from 'ava';
import { QueryTypes, type Sequelize } from 'sequelize';
import { KafkaEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { createLogger } from '../../shared/log/logger';
import { createKafka } from '../../shared/kafka/create-kafka';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import type { DomainEvent, EventSink } from '../../shared/domain/domain-event';
import { kafkaEventSink } from '../../shared/messaging/kafka-event-sink';
import {
  appendOutboxRows,
  appendToOutbox,
  insertsConsecutiveIds,
} from '../../shared/outbox/append-to-outbox';
import { outboxModel } from '../../shared/outbox/outbox-model';
import { CATCH_UP_LIMIT, publishCommitted } from '../../shared/outbox/publish-committed';
import { outboxMigrations } from '../../shared/outbox/outbox-migration';
import { relayOutbox } from '../../shared/outbox/relay-outbox';
import { inTransaction } from '../../shared/sql/in-transaction';
import { migrate } from '../../shared/sql/migrate';
import { createTopic, deleteTopics, readRecords, testKafka } from '../support/kafka-fixture';
import { commitEvents, pendingEvents, orderEvent } from '../support/outbox-fixture';
import { DIALECTS, sqlFixture } from '../support/sql-fixture';
import { recordStatements } from '../support/statement-log';

const logger = createLogger('outbox-test', { level: 'silent' });

/** A sink that records what it was given and can be told to fail. */
function recordingSink(): EventSink & { batches: DomainEvent[][]; failing: boolean } {
  const sink = {
    batches: [] as DomainEvent[][],
    failing: false,
    publish(events: readonly DomainEvent[]) {
      if (sink.failing) return Promise.reject(new Error('sink unavailable'));
      sink.batches.push([...events]);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
  return sink;
}

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** A well-formed W3C tracestate of exactly `length` characters: list-members `kNN=vvv…` joined by commas. */
function tracestateOf(length: number): string {
  const members: string[] = [];
  let used = 0;
  while (used < length) {
    const room = length - used - (members.length > 0 ? 1 : 0);
    const key = `k${String(members.length).padStart(2, '0')}`;
    const value = 'v'.repeat(Math.min(100, room - key.length - 1));
    members.push(`${key}=${value}`);
    used = members.join(',').length;
  }
  return members.join(',');
}

for (const dialect of DIALECTS) {
  const setup = async () => {
    const db = await sqlFixture(dialect, 'test_outbox');
    await migrate(db.sequelize, outboxMigrations);
    return db;
  };

  test(`${dialect}: events exist only when their transaction commits`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    await t.throwsAsync(
      inTransaction(db.sequelize, async (tx) => {
        await appendToOutbox(db.sequelize, tx, [orderEvent('o-rolled-back', 1)]);
        throw new Error('order rejected');
      }),
    );
    const [stored] = await inTransaction(db.sequelize, (tx) =>
      appendToOutbox(db.sequelize, tx, [orderEvent('o-1', 1)]),
    );
    const sink = recordingSink();
    t.is(await relayOutbox({ sequelize: db.sequelize, sink }), 1);
    t.deepEqual(sink.batches.flat(), stored ? [stored] : []);
  });

  test(`${dialect}: the relay re-publishes an event's traceparent and tracestate from its row`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    const traced = {
      ...orderEvent('o-traced', 1),
      traceparent: TRACEPARENT,
      tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
    };
    // The longest tracestate the outbox keeps (W3C's 512 characters), and a lone one, meaningless without its parent.
    const longest = {
      ...orderEvent('o-longest', 1),
      traceparent: TRACEPARENT,
      tracestate: tracestateOf(512),
    };
    const lone = { ...orderEvent('o-lone', 1), tracestate: 'rojo=00f067aa0ba902b7' };
    const stored = await inTransaction(db.sequelize, (tx) =>
      appendToOutbox(db.sequelize, tx, [traced, longest, lone]),
    );
    const sink = recordingSink();
    t.is(await relayOutbox({ sequelize: db.sequelize, sink }), 3);
    const relayed = sink.batches.flat();
    t.deepEqual(relayed, stored, 'the relay sends what the append returned, as the publish at commit would');
    t.like(relayed[0], { subject: 'o-traced', traceparent: TRACEPARENT, tracestate: traced.tracestate });
    t.like(relayed[1], { subject: 'o-longest', traceparent: TRACEPARENT, tracestate: longest.tracestate });
    t.is(relayed[2]?.traceparent, undefined);
    t.is(relayed[2]?.tracestate, undefined);
  });

  test(`${dialect}: a trace context too long for the outbox is dropped, and the event is stored and relayed`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    const tooLongState = {
      ...orderEvent('o-long-state', 1),
      traceparent: TRACEPARENT,
      tracestate: tracestateOf(513),
    };
    // A traceparent of a later version, longer than version 00's 55 characters: the whole context goes.
    const tooLongParent = {
      ...orderEvent('o-long-parent', 1),
      traceparent: `${TRACEPARENT.replace(/^00/, 'cc')}-what-comes-next`,
      tracestate: 'rojo=00f067aa0ba902b7',
    };
    const stored = await inTransaction(db.sequelize, (tx) =>
      appendToOutbox(db.sequelize, tx, [tooLongState, tooLongParent]),
    );
    t.is(stored[0]?.traceparent, TRACEPARENT);
    t.is(stored[0]?.tracestate, undefined);
    t.is(stored[1]?.traceparent, undefined);
    t.is(stored[1]?.tracestate, undefined);
    const sink = recordingSink();
    t.is(await relayOutbox({ sequelize: db.sequelize, sink }), 2);
    t.deepEqual(sink.batches.flat(), stored);
  });

  test(`${dialect}: a database migrated before the tracestate column gets it from its own migration, rows kept`, async (t) => {
    const db = await sqlFixture(dialect, 'test_outbox_upgrade');
    t.teardown(() => db.drop());
    const [first, ...later] = outboxMigrations;
    if (!first) throw new Error('no outbox migration');
    t.deepEqual(await migrate(db.sequelize, [first]), ['0001-outbox-events']);
    // A row written by a version without the column.
    await db.sequelize.query(
      `INSERT INTO outbox_events (id, type, source, subject, partition_key, time, data, traceparent)
       VALUES ('e-before', 'com.ecom.order.step-recorded', '/ecom/order/test', 'o-before', 'o-before', ?, '{}', ?)`,
      { replacements: [new Date(), TRACEPARENT] },
    );
    t.deepEqual(
      await migrate(db.sequelize, outboxMigrations),
      later.map((migration) => migration.name),
    );
    t.true(later.some((migration) => migration.name.endsWith('-outbox-tracestate')));
    const columns = await db.sequelize.getQueryInterface().describeTable('outbox_events');
    t.like(columns['tracestate'], { allowNull: true });
    const traced = {
      ...orderEvent('o-after', 1),
      traceparent: TRACEPARENT,
      tracestate: 'rojo=00f067aa0ba902b7',
    };
    await inTransaction(db.sequelize, (tx) => appendToOutbox(db.sequelize, tx, [traced]));
    const sink = recordingSink();
    t.is(await relayOutbox({ sequelize: db.sequelize, sink }), 2);
    const [before, after] = sink.batches.flat();
    t.like(before, { id: 'e-before', traceparent: TRACEPARENT });
    t.is(before?.tracestate, undefined);
    t.like(after, { subject: 'o-after', traceparent: TRACEPARENT, tracestate: 'rojo=00f067aa0ba902b7' });
  });

  test(`${dialect}: a failing sink leaves events unpublished and the next run sends them in order`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    await commitEvents(db.sequelize, ['o-a', 'o-b'], 1, 3);
    const sink = recordingSink();
    sink.failing = true;
    await t.throwsAsync(relayOutbox({ sequelize: db.sequelize, sink, batchSize: 4 }), {
      message: 'sink unavailable',
    });
    t.is(await pendingEvents(db.sequelize), 6);
    sink.failing = false;
    t.is(await relayOutbox({ sequelize: db.sequelize, sink, batchSize: 4 }), 6);
    t.is(await pendingEvents(db.sequelize), 0);
    t.deepEqual(
      sink.batches.flat().map((e) => `${e.subject}:${String(e.data['step'])}`),
      ['o-a:1', 'o-b:1', 'o-a:2', 'o-b:2', 'o-a:3', 'o-b:3'],
    );
    t.is(await relayOutbox({ sequelize: db.sequelize, sink }), 0, 'nothing is sent twice once marked');
  });

  test(`${dialect}: a commit sends older unpublished events of its keys first, in order, and passes those of other keys`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    const sink = recordingSink();
    const commit = (key: string, step: number) =>
      inTransaction(db.sequelize, (tx) => appendOutboxRows(db.sequelize, tx, [orderEvent(key, step)]));
    const sent = () =>
      sink.batches.map((batch) => batch.map((event) => `${event.subject}/${String(event.data['step'])}`));
    // o-a's first event waits unpublished (its publish failed, or another function's is still under way).
    await commit('o-a', 1);
    t.true(await publishCommitted(db.sequelize, sink, await commit('o-b', 1)));
    t.deepEqual(sent(), [['o-b/1']], 'another key is not held back, nor sent');
    t.true(await publishCommitted(db.sequelize, sink, await commit('o-a', 2)));
    t.deepEqual(sent(), [['o-b/1'], ['o-a/1', 'o-a/2']], 'its own key goes first');
    t.is(await pendingEvents(db.sequelize), 0, 'every one marked published');
  });

  test(`${dialect}: behind more than ${String(CATCH_UP_LIMIT)} older unpublished events of its keys a commit sends nothing and leaves them to the relay`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    const sink = recordingSink();
    // Committed while nothing published them (Kafka down, say).
    await commitEvents(db.sequelize, ['o-a'], 1, CATCH_UP_LIMIT + 1);
    const latest = await inTransaction(db.sequelize, (tx) =>
      appendOutboxRows(db.sequelize, tx, [orderEvent('o-a', CATCH_UP_LIMIT + 2)]),
    );
    t.false(await publishCommitted(db.sequelize, sink, latest));
    t.is(sink.batches.length, 0);
    t.is(await relayOutbox({ sequelize: db.sequelize, sink }), CATCH_UP_LIMIT + 2);
    const steps = sink.batches.flat().map((event) => event.data['step']);
    t.deepEqual(
      steps,
      Array.from({ length: CATCH_UP_LIMIT + 2 }, (_, i) => i + 1),
    );
  });

  test(`${dialect}: concurrent relays publish each event once, in order per key`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    await commitEvents(db.sequelize, ['o-a', 'o-b', 'o-c'], 1, 10);
    const sink = recordingSink();
    const relays = [db.sequelize, await db.connectAgain(), await db.connectAgain()];
    const counts = await Promise.all(
      relays.map((sequelize) => relayOutbox({ sequelize, sink, batchSize: 3 })),
    );
    t.is(
      counts.reduce((a, b) => a + b, 0),
      30,
    );
    const published = sink.batches.flat();
    t.is(new Set(published.map((e) => e.id)).size, 30);
    for (const orderId of ['o-a', 'o-b', 'o-c']) {
      const steps = published.filter((e) => e.subject === orderId).map((e) => e.data['step']);
      t.deepEqual(steps, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
  });

  test(`${dialect}: relays started after each commit, as registrations under load start them, all succeed`, async (t) => {
    const db = await setup();
    t.teardown(() => db.drop());
    const sink = recordingSink();
    const instances = [db.sequelize, await db.connectAgain()];
    const keys = ['o-a', 'o-b', 'o-c', 'o-d'];
    const relays: Promise<number>[] = [];
    // Four writers on two instances; each commit starts a relay nobody waits for, as register's publishSoon.
    await Promise.all(
      keys.map(async (key, writer) => {
        const sequelize = instances[writer % instances.length] ?? db.sequelize;
        for (let step = 1; step <= 8; step++) {
          await inTransaction(sequelize, (tx) => appendToOutbox(sequelize, tx, [orderEvent(key, step)]));
          relays.push(relayOutbox({ sequelize, sink }));
        }
      }),
    );
    const failures = (await Promise.allSettled(relays)).flatMap((result) =>
      result.status === 'rejected' ? [String(result.reason)] : [],
    );
    t.deepEqual(failures, [], 'no relay failed (a deadlock, say)');
    t.is(await pendingEvents(db.sequelize), 0, 'the relays published every committed event');
    const published = sink.batches.flat();
    t.is(new Set(published.map((e) => e.id)).size, published.length, 'each event once');
    for (const key of keys) {
      const steps = published.filter((e) => e.subject === key).map((e) => e.data['step']);
      t.deepEqual(steps, [1, 2, 3, 4, 5, 6, 7, 8]);
    }
  });
}

/** The two orders in which the relay may lock a row it marks, by the plan MariaDB picks for its scan. */
const RELAY_LOCK_ORDERS = {
  'the row, then its index entry':
    'SELECT seq FROM outbox_events FORCE INDEX (PRIMARY) WHERE seq = :seq FOR UPDATE',
  'the index entry, then the row':
    'SELECT seq FROM outbox_events FORCE INDEX (outbox_events_pending) WHERE published_at IS NULL AND seq = :seq FOR UPDATE',
};

test("mysql: a transaction's events go in with one INSERT, and the seqs it answers are the rows' own, in order, with other transactions appending at once", async (t) => {
  const db = await sqlFixture('mysql', 'test_outbox_bulk');
  t.teardown(() => db.drop());
  await migrate(db.sequelize, outboxMigrations);
  const asked = recordStatements(db.sequelize);
  const inserts = () => asked.filter(({ sql }) => /^INSERT INTO `?outbox_events/i.test(sql));
  const orders = Array.from({ length: 12 }, (_, i) => `o-bulk-${String(i)}`);
  // Twelve transactions at once, four events each: their ids interleave on the table, never within one of them.
  const appended = await Promise.all(
    orders.map((orderId) =>
      inTransaction(db.sequelize, (tx) =>
        appendOutboxRows(
          db.sequelize,
          tx,
          [1, 2, 3, 4].map((step) => orderEvent(orderId, step)),
        ),
      ),
    ),
  );
  t.is(inserts().length, orders.length, 'one INSERT per transaction');
  const rows = await outboxModel(db.sequelize).findAll({ attributes: ['seq', 'id'] });
  const seqOf = new Map(rows.map((row) => [row.id, row.seq]));
  for (const { events, seqs } of appended) {
    t.deepEqual(
      seqs,
      events.map((event) => seqOf.get(event.id)),
      'each event with the seq its row holds',
    );
    t.deepEqual(
      [...seqs].sort((a, b) => a - b),
      seqs,
      'in the order given',
    );
  }
  t.is(rows.length, orders.length * 4);
});

test('a multi-row INSERT is trusted to number its rows in order only where InnoDB promises it (lock modes 0 and 1, a step of 1)', (t) => {
  t.true(insertsConsecutiveIds({ lockMode: 1, increment: 1 }), "MariaDB's default");
  t.true(insertsConsecutiveIds({ lockMode: 0, increment: 1 }));
  t.false(insertsConsecutiveIds({ lockMode: 2, increment: 1 }), "MySQL 8's default: one insert per event");
  t.false(insertsConsecutiveIds({ lockMode: 1, increment: 3 }), 'a Galera cluster of three');
});

for (const [order, lockingRead] of Object.entries(RELAY_LOCK_ORDERS)) {
  test(`mysql: a commit publishing its own events is not lost to the relay marking them (${order})`, async (t) => {
    const db = await sqlFixture('mysql', 'test_outbox_deadlock');
    t.teardown(() => db.drop());
    await migrate(db.sequelize, outboxMigrations);
    // A live outbox: mostly published rows, as MariaDB's statistics see it when it plans the statements.
    await outboxModel(db.sequelize).bulkCreate(
      Array.from({ length: 2000 }, (_, i) => ({
        ...orderEvent('o-old', i),
        id: `old-${String(i)}`,
        data: '{}',
        time: new Date(),
        publishedAt: new Date(),
      })),
    );
    await db.sequelize.query('ANALYZE TABLE outbox_events');
    const appended = await inTransaction(db.sequelize, (tx) =>
      appendOutboxRows(db.sequelize, tx, [orderEvent('o-1', 1)]),
    );
    const seq = appended.seqs[0];
    const sink = recordingSink();

    // The relay's transaction holds the first of its two locks on the row while the commit marks it, then takes
    // the second. It has written more than the commit's update, so a deadlock's victim is that update.
    const relay = await db.connectAgain();
    const relaying = await relay.transaction();
    await appendOutboxRows(relay, relaying, [
      orderEvent('o-2', 1),
      orderEvent('o-3', 1),
      orderEvent('o-4', 1),
    ]);
    await relay.query(lockingRead, { replacements: { seq }, transaction: relaying });
    const publishing = publishCommitted(db.sequelize, sink, appended);
    await waitForLockWait(db.sequelize);
    await outboxModel(relay).update({ publishedAt: new Date() }, { where: { seq }, transaction: relaying });
    await relaying.commit();

    t.true(await publishing, 'published, not given up');
    t.deepEqual(
      sink.batches.flat().map((event) => event.id),
      appended.events.map((event) => event.id),
    );
    t.not((await outboxModel(db.sequelize).findByPk(seq))?.publishedAt ?? null, null, 'marked published');
  });
}

/**
 * Resolves once a transaction waits for a row lock. MariaDB refreshes `innodb_trx` only when it was not read in the
 * last 0.1 s, so it is read less often than that.
 */
async function waitForLockWait(sequelize: Sequelize): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    await setTimeout(150);
    const [waiting] = await sequelize.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'`,
      { type: QueryTypes.SELECT },
    );
    if (Number(waiting?.n) > 0) return;
  }
  throw new Error('no transaction came to wait for a lock');
}

test('mysql: relayed events arrive on Kafka as binary-mode CloudEvents, keyed and ordered per aggregate', async (t) => {
  const db = await sqlFixture('mysql', 'test_outbox_kafka');
  t.teardown(() => db.drop());
  await migrate(db.sequelize, outboxMigrations);
  const admin = testKafka();
  const topic = await createTopic(admin, 'outbox');
  t.teardown(() => deleteTopics(admin, [topic]));
  const kafkaEnv = loadConfig(KafkaEnv);
  const sink = kafkaEventSink(
    await createKafka({ brokers: kafkaEnv.KAFKA_BROKERS, clientId: 'outbox-test' }, logger),
    topic,
  );
  t.teardown(() => sink.close());

  const orders = ['order-1', 'order-2', 'order-3', 'order-4'];
  await commitEvents(db.sequelize, orders, 1, 5);
  t.is(await relayOutbox({ sequelize: db.sequelize, sink, batchSize: 7 }), 20);

  const records = await readRecords(admin, topic, 20);
  t.is(records.length, 20);
  const [first] = records;
  if (!first) throw new Error('no record read');
  t.is(first.headers['ce_specversion']?.toString(), '1.0');
  t.is(first.headers['content-type']?.toString(), 'application/json');
  t.is(first.headers['ce_partitionkey']?.toString(), first.key ?? undefined);
  for (const record of records) {
    const event = fromKafkaRecord(record);
    t.is(event.type, 'com.ecom.order.step-recorded');
    t.is(event.subject, record.key ?? undefined);
    t.deepEqual(JSON.parse(record.value ?? 'null'), event.data);
  }
  for (const orderId of orders) {
    const mine = records.filter((r) => r.key === orderId);
    t.is(new Set(mine.map((r) => r.partition)).size, 1, 'one aggregate, one partition');
    t.deepEqual(
      mine.map((r) => (JSON.parse(r.value ?? '{}') as { step: number }).step),
      [1, 2, 3, 4, 5],
    );
  }
});
