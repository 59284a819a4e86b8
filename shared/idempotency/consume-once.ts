import { QueryTypes, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import { inOneStatement, inTransaction } from '../sql/in-transaction';
import { PROCESSED_EVENTS_TABLE } from './processed-events-migration';

/** The outcome of delivering one event to one consumer. */
export type ConsumeOutcome<T> =
  { readonly duplicate: false; readonly result: T } | { readonly duplicate: true };

/**
 * Applies an event's effect at most once per consumer: the (consumer, event id) record is inserted first, in the
 * same transaction as the effect. A replay finds the record and skips the effect; two concurrent deliveries of
 * the same event serialise on the primary key, and the loser sees a duplicate. When the effect throws, the record
 * is rolled back with it, so a retry applies the effect again.
 */
export async function consumeOnce<T>(
  sequelize: Sequelize,
  consumer: string,
  eventId: string,
  effect: (transaction: Transaction) => Promise<T>,
): Promise<ConsumeOutcome<T>> {
  try {
    return await inTransaction(sequelize, async (transaction) => {
      await insertRecord(sequelize, consumer, eventId, transaction);
      return { duplicate: false, result: await effect(transaction) } as const;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError && isProcessedEventsKey(error)) return { duplicate: true };
    throw error;
  }
}

/**
 * Records an event as applied by a consumer that has no effect to guard with it, in one statement of its own:
 * answers true for a duplicate. A record held by another delivery's open transaction makes the statement wait for
 * that transaction, then fail on the key (a duplicate) if it committed, or succeed if it rolled back.
 */
export async function recordConsumed(
  sequelize: Sequelize,
  consumer: string,
  eventId: string,
): Promise<boolean> {
  try {
    await inOneStatement(sequelize, () => insertRecord(sequelize, consumer, eventId));
    return false;
  } catch (error) {
    if (error instanceof UniqueConstraintError && isProcessedEventsKey(error)) return true;
    throw error;
  }
}

async function insertRecord(
  sequelize: Sequelize,
  consumer: string,
  eventId: string,
  transaction?: Transaction,
): Promise<void> {
  await sequelize.query(
    `INSERT INTO ${PROCESSED_EVENTS_TABLE} (consumer, event_id, processed_at) VALUES (?, ?, ?)`,
    {
      replacements: [consumer, eventId, new Date()],
      type: QueryTypes.INSERT,
      ...(transaction && { transaction }),
    },
  );
}

/** Only our own record's key means "duplicate": a unique violation inside the effect is the effect's error. */
function isProcessedEventsKey(error: UniqueConstraintError): boolean {
  const sql = (error.original as { sql?: string } | undefined)?.sql ?? error.sql;
  return typeof sql === 'string' && sql.includes(PROCESSED_EVENTS_TABLE);
}
