import type { Sequelize } from 'sequelize';
import type { EventSink } from '../messaging/domain-event';
import { inTransaction } from '../sql/in-transaction';
import { outboxModel } from './outbox-model';

export interface RelayOptions {
  readonly sequelize: Sequelize;
  readonly sink: EventSink;
  /** Rows per transaction; default 100. */
  readonly batchSize?: number;
}

/**
 * Publishes every committed, unpublished outbox row in `seq` order and marks it published.
 *
 * Each batch is locked (`FOR UPDATE`, READ COMMITTED so new inserts are not blocked) while it is sent, so two
 * relays never interleave one key's events, and it is marked published only after the sink confirmed it. A crash
 * or a sink failure leaves the batch unpublished and the next run sends it again: delivery is at-least-once and
 * consumers deduplicate on the event id. A failure stops the run at the first unsent batch, so no later event
 * overtakes an earlier one of the same key. Returns how many events were published.
 */
export async function relayOutbox({ sequelize, sink, batchSize = 100 }: RelayOptions): Promise<number> {
  const Outbox = outboxModel(sequelize);
  let published = 0;
  for (;;) {
    const sent = await inTransaction(
      sequelize,
      async (transaction) => {
        const rows = await Outbox.findAll({
          where: { publishedAt: null },
          order: [['seq', 'ASC']],
          limit: batchSize,
          lock: transaction.LOCK.UPDATE,
          transaction,
        });
        if (rows.length === 0) return 0;
        await sink.publish(rows.map((row) => row.toEvent()));
        await Outbox.update(
          { publishedAt: new Date() },
          { where: { seq: rows.map((row) => row.seq) }, transaction },
        );
        return rows.length;
      },
      { isolation: 'read-committed' },
    );
    published += sent;
    if (sent < batchSize) return published;
  }
}
