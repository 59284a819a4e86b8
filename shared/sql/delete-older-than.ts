import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { inOneStatement, inTransaction } from './in-transaction';
import { sqlTime } from './sql-time';

/** Rows of `table` whose `column` (a time) is before `before`. Rows where it is NULL are never part of it. */
export interface RowsOlderThan {
  /** A table name of our own schema, never input: it is written into the statement. */
  readonly table: string;
  /** A DATETIME(3) column of that table, indexed: each batch is a range of that index. */
  readonly column: string;
  readonly before: Date;
}

/**
 * Deletes up to `limit` of `rows` in one statement and returns how many it deleted (fewer than `limit`: none are
 * left). On MySQL the statement runs at READ COMMITTED, which locks the rows it deletes and no gap, so writers of new
 * rows never wait on it; on SQLite it queues behind the file's writer lock.
 */
export function deleteBatchOlderThan(
  sequelize: Sequelize,
  { table, column, before }: RowsOlderThan,
  limit: number,
): Promise<number> {
  const replacements = { before: sqlTime(sequelize, before), limit };
  const type = QueryTypes.BULKDELETE;
  if (sequelize.getDialect() === 'sqlite') {
    // SQLite's DELETE takes no LIMIT unless built to: the batch is chosen by rowid.
    const sql = `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < :before LIMIT :limit)`;
    return inOneStatement(sequelize, () => sequelize.query(sql, { replacements, type }));
  }
  // Oldest first: the index's order, and the same rows on a replica that replays the statement.
  const sql = `DELETE FROM ${table} WHERE ${column} < :before ORDER BY ${column} LIMIT :limit`;
  const batch = (transaction: Transaction) => sequelize.query(sql, { replacements, type, transaction });
  return inTransaction(sequelize, batch, { isolation: 'read-committed' });
}
