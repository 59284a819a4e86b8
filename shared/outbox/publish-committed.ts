import { Op, type Sequelize, type Transaction } from 'sequelize';
import type { EventSink } from '../domain/domain-event';
import { inTransaction, retryOnDeadlock } from '../sql/in-transaction';
import type { AppendedEvents } from './append-to-outbox';
import { outboxModel } from './outbox-model';
import { publishTraced } from './outbox-tracing';

/**
 * Publishes events its caller has just committed, as they are in hand, and marks them published: one read before
 * the send and one update after it, where a relay run takes a named lock, a transaction and a locking scan. This
 * is the hot path of every saga step; the relay stays for what is left behind.
 *
 * Nothing may overtake an older event that is still unpublished (a failed publish, a crash): when one exists,
 * this sends nothing and answers false, and the caller runs the relay, which sends everything in order. A relay
 * running at the same time may send the same events again: delivery is at-least-once, and consumers deduplicate on
 * the event id. Throws when the sink does not take them; they stay unpublished for the relay.
 */
export async function publishCommitted(
  sequelize: Sequelize,
  sink: EventSink,
  appended: AppendedEvents,
): Promise<boolean> {
  const Outbox = outboxModel(sequelize);
  const older = await Outbox.findOne({
    attributes: ['seq'],
    where: { publishedAt: null, seq: { [Op.lt]: Math.min(...appended.seqs) } },
  });
  if (older) return false;
  await publishTraced(sink, appended.events);
  // By primary key alone: InnoDB then locks just these rows. With `published_at IS NULL` in the WHERE, MariaDB may
  // search the relay's index (`outbox_events_pending`) instead, locking its entries and the gaps after them, and
  // deadlock with a relay marking the same rows. Even by key, the relay may still make this update the victim of
  // a deadlock: it is then run again.
  const markPublished = (transaction?: Transaction) =>
    Outbox.update(
      { publishedAt: new Date() },
      { where: { seq: appended.seqs }, ...(transaction ? { transaction } : {}) },
    );
  // SQLite has one writer at a time: a write outside the kit's transactions would meet SQLITE_BUSY, not wait.
  if (sequelize.getDialect() === 'sqlite') await inTransaction(sequelize, markPublished);
  else await retryOnDeadlock(() => markPublished());
  return true;
}
