import { QueryTypes, type Sequelize } from 'sequelize';
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

export interface DeleteBatches {
  /** Rows per statement; default 1,000. */
  readonly batchSize?: number;
  /** Statements per call at most, so that one call stays short; default 20. The next call goes on. */
  readonly maxBatches?: number;
}

/**
 * Deletes `rows` a batch at a time until fewer than a batch were left or `maxBatches` statements ran, and returns how
 * many it deleted. Each batch is one statement: on MySQL at READ COMMITTED, which locks the rows it deletes and no gap,
 * so writers of new rows never wait on it; on SQLite behind the file's writer lock.
 */
export async function deleteOlderThan(
  sequelize: Sequelize,
  rows: RowsOlderThan,
  { batchSize = 1000, maxBatches = 20 }: DeleteBatches = {},
): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const count = await deleteBatch(sequelize, rows, batchSize);
    deleted += count;
    if (count < batchSize) break;
  }
  return deleted;
}

function deleteBatch(sequelize: Sequelize, { table, column, before }: RowsOlderThan, limit: number) {
  const replacements = { before: sqlTime(sequelize, before), limit };
  const type = QueryTypes.BULKDELETE;
  if (sequelize.getDialect() === 'sqlite') {
    // SQLite's DELETE takes no LIMIT unless built to: the batch is chosen by rowid.
    const sql = `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < :before LIMIT :limit)`;
    return inOneStatement(sequelize, () => sequelize.query(sql, { replacements, type }));
  }
  const sql = `DELETE FROM ${table} WHERE ${column} < :before LIMIT :limit`;
  return inTransaction(
    sequelize,
    (transaction) => sequelize.query(sql, { replacements, type, transaction }),
    {
      isolation: 'read-committed',
    },
  );
}
