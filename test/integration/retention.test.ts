// What a service database keeps for a time only (shared/kit/retention.ts), on MariaDB and SQLite: published outbox
// rows older than a week and processed-event records older than two weeks go, the rest stays, whatever the batches.
import test from 'ava';
import { QueryTypes, type Sequelize } from 'sequelize';
import { processedEventsMigrations } from '../../shared/idempotency/processed-events-migration';
import { recordConsumed } from '../../shared/idempotency/consume-once';
import {
  deleteExpiredRows,
  expiringRowsOf,
  PROCESSED_EVENTS_DAYS,
  PUBLISHED_OUTBOX_DAYS,
} from '../../shared/kit/retention';
import { outboxMigrations } from '../../shared/outbox/outbox-migration';
import { migrate } from '../../shared/sql/migrate';
import { sqlTime } from '../../shared/sql/sql-time';
import { commitEvents } from '../support/outbox-fixture';
import { DIALECTS, sqlFixture } from '../support/sql-fixture';

const DAY_MS = 86_400_000;
const now = new Date();
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

/** Each outbox row's order id and step (its data), with whether it was published, in seq order. */
async function outboxRows(sequelize: Sequelize): Promise<string[]> {
  const rows = await sequelize.query<{ data: string; publishedAt: string | null }>(
    'SELECT data, published_at AS publishedAt FROM outbox_events ORDER BY seq',
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => {
    const { orderId, step } = JSON.parse(row.data) as { orderId: string; step: number };
    return `${orderId}/${String(step)}${row.publishedAt === null ? ' unpublished' : ''}`;
  });
}

async function processedEventIds(sequelize: Sequelize): Promise<string[]> {
  const rows = await sequelize.query<{ eventId: string }>(
    'SELECT event_id AS eventId FROM processed_events ORDER BY event_id',
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.eventId);
}

/** Marks the outbox rows of `orderId` published at `at` (null: not published). */
async function publishedAt(sequelize: Sequelize, orderId: string, at: Date | null): Promise<void> {
  await sequelize.query('UPDATE outbox_events SET published_at = :at WHERE partition_key = :orderId', {
    replacements: { at: sqlTime(sequelize, at), orderId },
  });
}

/** Records `eventId` as processed by `notify`, `days` ago. */
async function processedDaysAgo(sequelize: Sequelize, eventId: string, days: number): Promise<void> {
  await recordConsumed(sequelize, 'notify', eventId);
  await sequelize.query('UPDATE processed_events SET processed_at = :at WHERE event_id = :eventId', {
    replacements: { at: sqlTime(sequelize, daysAgo(days)), eventId },
  });
}

for (const dialect of DIALECTS) {
  test(`${dialect}: published events older than a week and event records older than two weeks are deleted, nothing else`, async (t) => {
    const db = await sqlFixture(dialect, 'test_retention');
    t.teardown(() => db.drop());
    await migrate(db.sequelize, [...outboxMigrations, ...processedEventsMigrations]);
    // Two steps per order: old (published 8 days ago), recent (published 6 days ago), stuck (never published, its
    // events a month old: a broker that was down for that long), fresh (published now).
    await commitEvents(db.sequelize, ['old', 'recent', 'stuck', 'fresh'], 1, 2);
    await publishedAt(db.sequelize, 'old', daysAgo(PUBLISHED_OUTBOX_DAYS + 1));
    await publishedAt(db.sequelize, 'recent', daysAgo(PUBLISHED_OUTBOX_DAYS - 1));
    await db.sequelize.query("UPDATE outbox_events SET time = :at WHERE partition_key = 'stuck'", {
      replacements: { at: sqlTime(db.sequelize, daysAgo(30)) },
    });
    await publishedAt(db.sequelize, 'fresh', now);
    for (const [eventId, days] of [
      ['e-15d', PROCESSED_EVENTS_DAYS + 1],
      ['e-20d', PROCESSED_EVENTS_DAYS + 6],
      ['e-13d', PROCESSED_EVENTS_DAYS - 1],
      ['e-0d', 0],
    ] as const) {
      await processedDaysAgo(db.sequelize, eventId, days);
    }

    // One row per statement: both tables take more than one batch.
    const deleted = await deleteExpiredRows(db.sequelize, expiringRowsOf(), now, { batchSize: 1 });

    t.deepEqual(deleted, { outbox_events: 2, processed_events: 2 });
    t.deepEqual(await outboxRows(db.sequelize), [
      'recent/1',
      'stuck/1 unpublished',
      'fresh/1',
      'recent/2',
      'stuck/2 unpublished',
      'fresh/2',
    ]);
    t.deepEqual(await processedEventIds(db.sequelize), ['e-0d', 'e-13d']);
    // A second run finds nothing more.
    t.deepEqual(await deleteExpiredRows(db.sequelize, expiringRowsOf(), now), {
      outbox_events: 0,
      processed_events: 0,
    });
  });

  test(`${dialect}: a call past its budget starts no new round; the next call goes on`, async (t) => {
    const db = await sqlFixture(dialect, 'test_retention_batches');
    t.teardown(() => db.drop());
    await migrate(db.sequelize, [...outboxMigrations, ...processedEventsMigrations]);
    await commitEvents(db.sequelize, ['a', 'b', 'c', 'd', 'e'], 1, 1);
    for (const orderId of ['a', 'b', 'c', 'd', 'e']) {
      await publishedAt(db.sequelize, orderId, daysAgo(PUBLISHED_OUTBOX_DAYS + 2));
    }
    for (const eventId of ['e-1', 'e-2', 'e-3'])
      await processedDaysAgo(db.sequelize, eventId, PROCESSED_EVENTS_DAYS + 2);
    // No budget: one round, a batch of each table, then the call ends.
    const oneRound = { batchSize: 2, budgetMs: 0 };

    t.deepEqual(await deleteExpiredRows(db.sequelize, expiringRowsOf(), now, oneRound), {
      outbox_events: 2,
      processed_events: 2,
    });
    t.deepEqual(await deleteExpiredRows(db.sequelize, expiringRowsOf(), now, oneRound), {
      outbox_events: 2,
      processed_events: 1,
    });
    t.deepEqual(await deleteExpiredRows(db.sequelize, expiringRowsOf(), now, oneRound), {
      outbox_events: 1,
      processed_events: 0,
    });
    t.deepEqual(await outboxRows(db.sequelize), []);
    t.deepEqual(await processedEventIds(db.sequelize), []);
  });
}
