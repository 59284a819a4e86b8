import type { Sequelize } from 'sequelize';
import { PROCESSED_EVENTS_TABLE } from '../idempotency/processed-events-migration';
import { OUTBOX_TABLE } from '../outbox/outbox-migration';
import { deleteBatchOlderThan, type RowsOlderThan } from '../sql/delete-older-than';

const DAY_MS = 86_400_000;

/** Rows of a service's own table that are of no use after some days (ServiceDeclaration.expiring). */
export interface ExpiringRows {
  readonly table: string;
  /** An indexed DATETIME(3) column: a row is deleted once this time is `days` old. */
  readonly column: string;
  readonly days: number;
}

/**
 * A published event stays in the outbox a week, as long as the broker's topic keeps it: what a service published
 * and when can be read beside the topic.
 */
export const PUBLISHED_OUTBOX_DAYS = 7;

/**
 * A consumer's record of an event stays two weeks: twice the week the broker's topic and the dead-letter topic keep
 * their records (Kafka's default retention, which the cluster's broker and the local one keep), so an event delivered
 * again, or replayed from the dead letters, while the broker still holds it is always known as a duplicate.
 */
export const PROCESSED_EVENTS_DAYS = 14;

/** What every service database keeps for a time only, then the service's own (its declaration's `expiring`). */
export function expiringRowsOf(own: readonly ExpiringRows[] = []): ExpiringRows[] {
  return [
    { table: OUTBOX_TABLE, column: 'published_at', days: PUBLISHED_OUTBOX_DAYS },
    { table: PROCESSED_EVENTS_TABLE, column: 'processed_at', days: PROCESSED_EVENTS_DAYS },
    ...own,
  ];
}

export interface DeletionBudget {
  /** Rows per statement; default 1,000. */
  readonly batchSize?: number;
  /**
   * No new round of statements starts after this many milliseconds (default 10,000), so that a relay run ends well
   * within its request's 30 s; at least one round runs. The next run goes on with what is left.
   */
  readonly budgetMs?: number;
}

/**
 * Deletes the rows that are older than their table keeps them, as of `now`, and answers how many, by table. An
 * unpublished outbox row is never among them, whatever its age (its `published_at` is NULL). The tables take turns, a
 * batch each per round, so a backlog in one does not hold the others back; rounds go on until every table is done or
 * the budget is spent. The service's outbox relay calls it on every run (every 5 minutes): on this machine a round
 * deletes some 36,000 rows a second (bench/retention.ts), far more than a shop writes.
 */
export async function deleteExpiredRows(
  sequelize: Sequelize,
  expiring: readonly ExpiringRows[],
  now: Date,
  { batchSize = 1000, budgetMs = 10_000 }: DeletionBudget = {},
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = Object.fromEntries(expiring.map(({ table }) => [table, 0]));
  let left: RowsOlderThan[] = expiring.map(({ table, column, days }) => ({
    table,
    column,
    before: new Date(now.getTime() - days * DAY_MS),
  }));
  const started = performance.now();
  do {
    const more: RowsOlderThan[] = [];
    for (const rows of left) {
      const count = await deleteBatchOlderThan(sequelize, rows, batchSize);
      deleted[rows.table] = (deleted[rows.table] ?? 0) + count;
      if (count === batchSize) more.push(rows);
    }
    left = more;
  } while (left.length > 0 && performance.now() - started < budgetMs);
  return deleted;
}
