// The relay's rules that only show under contention or with particular events: one relay at a time across
// instances (the MySQL named lock), new events committed while a batch is in flight (READ COMMITTED: no gap lock
// holds them back), the trace context carried through the outbox, and an empty outbox sending nothing.
import test from 'ava';
import type { Connection } from 'mysql2/promise';
import type { DomainEvent, EventSink } from '../../shared/domain/domain-event';
import { appendToOutbox } from '../../shared/outbox/append-to-outbox';
import { outboxMigrations } from '../../shared/outbox/outbox-migration';
import { outboxModel } from '../../shared/outbox/outbox-model';
import { relayOutbox } from '../../shared/outbox/relay-outbox';
import { inTransaction } from '../../shared/sql/in-transaction';
import { migrate } from '../../shared/sql/migrate';
import { commitEvents, orderEvent, pendingEvents } from '../support/outbox-fixture';
import { gate, type Gate } from '../support/gate';
import { connectTo, DIALECTS, sqlFixture } from '../support/sql-fixture';

/** A sink that records what it is given, and can hold its next publish at a gate. */
function recordingSink() {
  const published: DomainEvent[][] = [];
  let held: Gate | undefined;
  const sink: EventSink = {
    async publish(events) {
      published.push([...events]);
      const next = held;
      held = undefined;
      if (next) {
        next.enter();
        await next.opened;
      }
    },
    close: () => Promise.resolve(),
  };
  return {
    sink,
    published,
    holdNext() {
      held = gate();
      return held;
    },
  };
}

/** Resolves once a statement starting with `sql` is running on the database (waiting on a lock, say). */
async function running(other: Connection, database: string, sql: string): Promise<boolean> {
  const [rows] = await other.query(
    'SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = ? AND info LIKE ?',
    [database, `${sql}%`],
  );
  return (rows as { n: number }[])[0]?.n === 1;
}

test('mysql: a relay of another instance waits for the named lock, and publishes once it is free', async (t) => {
  const db = await sqlFixture('mysql', 'test_relay_lock');
  t.teardown(() => db.drop());
  await migrate(db.sequelize, outboxMigrations);
  await commitEvents(db.sequelize, ['o-1'], 1, 2);
  const other = await connectTo(db.target.dialect === 'mysql' ? db.target.database : '');
  t.teardown(() => other.end());
  const name = `outbox-relay:${db.target.dialect === 'mysql' ? db.target.database : ''}`;
  await other.query('SELECT GET_LOCK(?, 0)', [name]); // another instance's relay holds it

  const { sink, published } = recordingSink();
  const relayed = { settled: false };
  const relay = relayOutbox({ sequelize: await db.connectAgain(), sink }).finally(() => {
    relayed.settled = true;
  });
  const database = db.target.dialect === 'mysql' ? db.target.database : '';
  while (!(await running(other, database, 'SELECT GET_LOCK'))) {
    if (relayed.settled) return t.fail('the relay ran without waiting for the lock');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  t.deepEqual(published, [], 'nothing is sent while the other relay runs');
  await other.query('SELECT RELEASE_LOCK(?)', [name]);
  t.is(await relay, 2);
  t.is(published.flat().length, 2);
});

test('mysql: an event committed while a batch is in flight is not held back by it, and goes out next', async (t) => {
  const db = await sqlFixture('mysql', 'test_relay_inflight');
  t.teardown(() => db.drop());
  await migrate(db.sequelize, outboxMigrations);
  await commitEvents(db.sequelize, ['o-1'], 1, 1);
  const recording = recordingSink();
  const gate = recording.holdNext();
  const relay = relayOutbox({ sequelize: db.sequelize, sink: recording.sink });
  await gate.inFlight; // the batch's rows are locked FOR UPDATE until the sink answers

  // A writer commits a new event meanwhile: under REPEATABLE READ the scan's gap lock would make it wait.
  const writer = await db.connectAgain();
  await inTransaction(writer, (tx) => appendToOutbox(writer, tx, [orderEvent('o-1', 2)]));
  gate.release();
  t.is(await relay, 1);
  t.is(await relayOutbox({ sequelize: db.sequelize, sink: recording.sink }), 1, 'the next run sends it');
  t.deepEqual(
    recording.published.map((batch) => batch.map((event) => (event.data as { step: number }).step)),
    [[1], [2]],
  );
});

for (const dialect of DIALECTS) {
  test(`${dialect}: the trace context of an event goes through the outbox`, async (t) => {
    const db = await sqlFixture(dialect, 'test_relay_trace');
    t.teardown(() => db.drop());
    await migrate(db.sequelize, outboxMigrations);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await inTransaction(db.sequelize, (tx) =>
      appendToOutbox(db.sequelize, tx, [{ ...orderEvent('o-1', 1), traceparent }, orderEvent('o-2', 1)]),
    );
    const { sink, published } = recordingSink();
    t.is(await relayOutbox({ sequelize: db.sequelize, sink }), 2);
    const [traced, untraced] = published.flat();
    t.is(traced?.traceparent, traceparent);
    t.false(
      untraced !== undefined && ('traceparent' in untraced || 'tracestate' in untraced),
      'no trace context is made up',
    );
  });

  test(`${dialect}: an empty outbox asks nothing of the sink, and the model is defined once per database`, async (t) => {
    const db = await sqlFixture(dialect, 'test_relay_empty');
    t.teardown(() => db.drop());
    await migrate(db.sequelize, outboxMigrations);
    const { sink, published } = recordingSink();
    t.is(await relayOutbox({ sequelize: db.sequelize, sink }), 0);
    t.deepEqual(published, []);
    t.is(await pendingEvents(db.sequelize), 0);
    t.is(outboxModel(db.sequelize), outboxModel(db.sequelize));
  });
}
