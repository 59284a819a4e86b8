import type { Sequelize } from 'sequelize';
import { PROCESSED_EVENTS_TABLE } from '../idempotency/processed-events-migration';
import { OUTBOX_TABLE } from '../outbox/outbox-migration';
import { deleteOlderThan, type DeleteBatches } from '../sql/delete-older-than';

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

/**
 * Deletes the rows that are older than their table keeps them, as of `now`: how many, by table. An unpublished
 * outbox row is never among them, whatever its age (its `published_at` is NULL). A call deletes a bounded number of
 * rows per table (`batches`); the service's outbox relay calls it on every run, so a backlog goes over a few runs.
 */
export async function deleteExpiredRows(
  sequelize: Sequelize,
  expiring: readonly ExpiringRows[],
  now: Date,
  batches?: DeleteBatches,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const { table, column, days } of expiring) {
    const before = new Date(now.getTime() - days * DAY_MS);
    deleted[table] = await deleteOlderThan(sequelize, { table, column, before }, batches);
  }
  return deleted;
}
