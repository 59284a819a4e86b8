import { setTimeout as sleep } from 'node:timers/promises';
import { Transaction, type Sequelize } from 'sequelize';
import { sessionIsolation, type IsolationLevel } from './session-isolation';
import { sqliteWriterLock } from './sqlite-writer-lock';

export interface TransactionOptions {
  /**
   * REPEATABLE READ unless said. READ COMMITTED takes no gap locks on MySQL: use it for queue-like scans (the outbox
   * relay) so a scan with `FOR UPDATE` does not block inserts of new rows.
   */
  readonly isolation?: IsolationLevel;
}

/** Attempts of a transaction that InnoDB chose as a deadlock victim: the first and two more. */
export const DEADLOCK_ATTEMPTS = 3;

/**
 * Runs `work` in one transaction, committed when it resolves and rolled back when it throws.
 * Row locks are taken inside with `lock: transaction.LOCK.UPDATE` (SELECT ... FOR UPDATE) on MySQL.
 * On SQLite the transaction is IMMEDIATE: it takes the database's write lock up front, which is what a
 * `FOR UPDATE` read means there, and avoids the deadlock of two readers both upgrading to writers.
 *
 * A transaction that InnoDB rolled back as a deadlock victim runs again, up to {@link DEADLOCK_ATTEMPTS} times in
 * all, after a short random pause: under contention that is the expected way through. So `work` must touch
 * nothing but the database (or be safe to repeat). A deadlock that outlives the retries reaches the caller, who
 * answers it as the service being unavailable (shared/errors/unavailable.ts).
 */
export function inTransaction<T>(
  sequelize: Sequelize,
  work: (transaction: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  return retryOnDeadlock(() => runTransaction(sequelize, work, options));
}

/**
 * Runs `work` again, up to {@link DEADLOCK_ATTEMPTS} times in all, while InnoDB chooses it as a deadlock victim: a
 * transaction, or one statement in autocommit mode (a statement is its own transaction).
 */
export async function retryOnDeadlock<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
      await sleep(5 + Math.random() * 20 * attempt);
    }
  }
}

/**
 * Runs one write statement outside any transaction (autocommit). On SQLite it queues behind the file's one writer, as
 * a transaction of inTransaction does: a write outside them would meet SQLITE_BUSY, not wait. On MySQL it runs again
 * while InnoDB chooses it as a deadlock victim.
 */
export function inOneStatement<T>(sequelize: Sequelize, write: () => Promise<T>): Promise<T> {
  if (sequelize.getDialect() === 'sqlite') return sqliteWriterLock(sequelize).runExclusive(write);
  return retryOnDeadlock(write);
}

/** What each running transaction of inTransaction starts once its work is done (whenCommitting). */
const committing = new WeakMap<Transaction, (() => void)[]>();

/**
 * Calls `start` once the work of `transaction` is done, just before its COMMIT is sent (not at all when the work
 * throws): for a read on another connection that should go out with the commit rather than after it. Answers false,
 * calling nothing, for a transaction that inTransaction does not run.
 */
export function whenCommitting(transaction: Transaction, start: () => void): boolean {
  const starts = committing.get(transaction);
  starts?.push(start);
  return starts !== undefined;
}

function runTransaction<T>(
  sequelize: Sequelize,
  transactionWork: (transaction: Transaction) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const work = async (transaction: Transaction) => {
    const starts: (() => void)[] = [];
    committing.set(transaction, starts);
    const result = await transactionWork(transaction);
    for (const start of starts) start();
    return result;
  };
  if (sequelize.getDialect() === 'sqlite') {
    return sqliteWriterLock(sequelize).runExclusive(() =>
      sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, work),
    );
  }
  // Sequelize sets a level with `SET TRANSACTION ISOLATION LEVEL`, which holds for the next transaction only; the level
  // every connection starts at (create-sequelize.ts) needs no statement at all.
  const level = options.isolation ?? 'repeatable-read';
  if (level === sessionIsolation(sequelize)) return sequelize.transaction(work);
  return sequelize.transaction({ isolationLevel: ISOLATION_LEVELS[level] }, work);
}

const ISOLATION_LEVELS: Record<IsolationLevel, Transaction.ISOLATION_LEVELS> = {
  'repeatable-read': Transaction.ISOLATION_LEVELS.REPEATABLE_READ,
  'read-committed': Transaction.ISOLATION_LEVELS.READ_COMMITTED,
};

/** MySQL's ER_LOCK_DEADLOCK (1213): InnoDB rolled the whole transaction back. */
function isDeadlock(error: unknown): boolean {
  const original = (error as { original?: { errno?: unknown } } | undefined)?.original;
  return original?.errno === 1213;
}
