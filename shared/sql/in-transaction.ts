import { Transaction, type Sequelize } from 'sequelize';
import { sqliteWriterLock } from './sqlite-writer-lock';

export interface TransactionOptions {
  /**
   * READ COMMITTED takes no gap locks on MySQL: use it for queue-like scans (the outbox relay) so a scan with
   * `FOR UPDATE` does not block inserts of new rows.
   */
  readonly isolation?: 'repeatable-read' | 'read-committed';
}

/**
 * Runs `work` in one transaction, committed when it resolves and rolled back when it throws.
 * Row locks are taken inside with `lock: transaction.LOCK.UPDATE` (SELECT ... FOR UPDATE) on MySQL.
 * On SQLite the transaction is IMMEDIATE: it takes the database's write lock up front, which is what a
 * `FOR UPDATE` read means there, and avoids the deadlock of two readers both upgrading to writers.
 */
export function inTransaction<T>(
  sequelize: Sequelize,
  work: (transaction: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (sequelize.getDialect() === 'sqlite') {
    return sqliteWriterLock(sequelize).runExclusive(() =>
      sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, work),
    );
  }
  const isolationLevel =
    options.isolation === 'read-committed'
      ? Transaction.ISOLATION_LEVELS.READ_COMMITTED
      : Transaction.ISOLATION_LEVELS.REPEATABLE_READ;
  return sequelize.transaction({ isolationLevel }, work);
}
