import { Mutex } from 'async-mutex';
import type { Sequelize } from 'sequelize';
import type { EventSink } from '../domain/domain-event';
import { inTransaction } from '../sql/in-transaction';
import { withNamedLock } from '../sql/named-lock';
import { outboxModel } from './outbox-model';
import { publishTraced } from './outbox-tracing';

export interface RelayOptions {
  readonly sequelize: Sequelize;
  readonly sink: EventSink;
  /** Rows per transaction; default 100. */
  readonly batchSize?: number;
}

const RELAY_LOCK_TIMEOUT_S = 30;
const relaysInProcess = new WeakMap<Sequelize, Mutex>();

/**
 * Publishes every committed, unpublished outbox row in `seq` order and marks it published.
 *
 * One relay runs at a time per database: within a process they queue on a mutex (so a waiting relay holds no
 * connection), across instances on a MySQL named lock. Relays running together would gain nothing (each
 * publishes everything committed) and their locking scans and updates of the same rows deadlock in InnoDB.
 * Each batch is also locked (`FOR UPDATE`, READ COMMITTED so new inserts are not blocked) while it is sent, and
 * marked published only after the sink confirmed it. A crash or a sink failure leaves the batch unpublished and
 * the next run sends it again: delivery is at-least-once and consumers deduplicate on the event id. A failure
 * stops the run at the first unsent batch, so no later event overtakes an earlier one of the same key. Returns
 * how many events were published.
 */
export async function relayOutbox(options: RelayOptions): Promise<number> {
  const { sequelize } = options;
  let inProcess = relaysInProcess.get(sequelize);
  if (!inProcess) {
    inProcess = new Mutex();
    relaysInProcess.set(sequelize, inProcess);
  }
  return inProcess.runExclusive(() =>
    sequelize.getDialect() === 'mysql'
      ? withNamedLock(sequelize, `outbox-relay:${sequelize.getDatabaseName()}`, RELAY_LOCK_TIMEOUT_S, () =>
          relayBatches(options),
        )
      : relayBatches(options),
  );
}

/**
 * How many committed events wait to be published: the outbox's depth, read from the relay's own index
 * (`outbox_events_pending`, unpublished rows first), so it costs a short index range however long the table.
 */
export function unpublishedCount(sequelize: Sequelize): Promise<number> {
  return outboxModel(sequelize).count({ where: { publishedAt: null } });
}

async function relayBatches({ sequelize, sink, batchSize = 100 }: RelayOptions): Promise<number> {
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
        await publishTraced(
          sink,
          rows.map((row) => row.toEvent()),
        );
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
