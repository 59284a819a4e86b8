import { QueryTypes, type Sequelize } from 'sequelize';
import type { EventSink } from '../domain/domain-event';
import { inOneStatement } from '../sql/in-transaction';
import { sqlTime } from '../sql/sql-time';
import type { AppendedEvents } from './append-to-outbox';
import { OUTBOX_TABLE } from './outbox-migration';
import { storedEvent, type StoredEventColumns } from './outbox-model';
import { publishTraced } from './outbox-tracing';

/** Older unpublished events of the same keys a commit sends before its own; with more, it leaves them to the relay. */
export const CATCH_UP_LIMIT = 50;

/**
 * The unpublished events older than `appended` with their partition keys, oldest first, up to one more than
 * {@link CATCH_UP_LIMIT}: what publishCommitted sends first. Read after the commit that stored `appended`, or on
 * another connection while its COMMIT is under way (kit/outbox.ts): either way it sees every event committed before
 * that commit's last statement, which is all that the row locks of a step order before it.
 */
export async function olderUnpublished(
  sequelize: Sequelize,
  appended: AppendedEvents,
): Promise<AppendedEvents> {
  // Written as SQL, as the outbox's insert is (append-to-outbox.ts): every publish of every saga step reads it.
  const rows = await sequelize.query<StoredEventColumns & { readonly seq: number }>(OLDER_UNPUBLISHED, {
    type: QueryTypes.SELECT,
    replacements: {
      before: Math.min(...appended.seqs),
      keys: [...new Set(appended.events.map((event) => event.partitionKey))],
      limit: CATCH_UP_LIMIT + 1,
    },
  });
  return { events: rows.map(storedEvent), seqs: rows.map((row) => row.seq) };
}

const OLDER_UNPUBLISHED = `
  SELECT seq, id, type, source, subject, partition_key AS partitionKey, time, data, traceparent, tracestate
  FROM ${OUTBOX_TABLE}
  WHERE published_at IS NULL AND seq < :before AND partition_key IN (:keys)
  ORDER BY seq LIMIT :limit`;

/**
 * Publishes events its caller has just committed, as they are in hand, and marks them published: one read before
 * the send and one update after it, where a relay run takes a named lock, a transaction and a locking scan. This
 * is the hot path of every saga step; the relay stays for what is left behind.
 *
 * Nothing may overtake an older event with the same partition key that is still unpublished (a failed publish, a
 * crash, or another commit's publish under way, as when two functions step the same order on one event): such
 * events, up to {@link CATCH_UP_LIMIT} of them, are sent first, in order, with these. An older event of another key
 * does not hold these back: Kafka keeps order per key only, and under load some other commit's events are nearly
 * always on their way. With more older events than that (a backlog after an outage), this sends nothing and answers
 * false, and the caller runs the relay, which sends everything in order. Another publisher sending the same events at
 * the same time (the relay, or the commit that wrote them) may send them again: delivery is at-least-once, and
 * consumers deduplicate on the event id. Throws when the sink does not take them; they stay unpublished for the relay.
 */
export async function publishCommitted(
  sequelize: Sequelize,
  sink: EventSink,
  appended: AppendedEvents,
  olderRead: Promise<AppendedEvents> = olderUnpublished(sequelize, appended),
): Promise<boolean> {
  const older = await olderRead;
  if (older.events.length > CATCH_UP_LIMIT) return false;
  const events = [...older.events, ...appended.events];
  const seqs = [...older.seqs, ...appended.seqs];
  await publishTraced(sink, events);
  // By primary key alone: InnoDB then locks just these rows. With `published_at IS NULL` in the WHERE, MariaDB may
  // search the relay's index (`outbox_events_pending`) instead, locking its entries and the gaps after them, and
  // deadlock with a relay marking the same rows. Even by key, the relay may still make this update the victim of
  // a deadlock: it is then run again.
  // Written as SQL, as the outbox's insert is (append-to-outbox.ts): it runs after every step of the saga.
  await inOneStatement(sequelize, () =>
    sequelize.query(`UPDATE ${OUTBOX_TABLE} SET published_at = :now WHERE seq IN (:seqs)`, {
      replacements: { now: sqlTime(sequelize, new Date()), seqs },
    }),
  );
  return true;
}
