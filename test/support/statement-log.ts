import type { Sequelize } from 'sequelize';

/** One statement as sequelize was asked to send it. */
export interface SentStatement {
  /** Its text ('' for a statement given as an object, as sequelize's model writes are). */
  readonly sql: string;
  readonly inTransaction: boolean;
}

/**
 * Records each statement `sequelize` is asked to send, in the order asked (every query, model reads and writes, and
 * each transaction's START and COMMIT go through `sequelize.query`). `answered` is told of each as its answer comes,
 * with how many had been asked by then.
 */
export function recordStatements(
  sequelize: Sequelize,
  answered?: (statement: SentStatement, askedSoFar: number) => void,
): SentStatement[] {
  const asked: SentStatement[] = [];
  const query = sequelize.query.bind(sequelize) as (sql: unknown, options?: unknown) => Promise<unknown>;
  Object.assign(sequelize, {
    query: async (sql: unknown, options?: { transaction?: unknown }) => {
      const statement = {
        sql: typeof sql === 'string' ? sql : '',
        inTransaction: options?.transaction != null,
      };
      asked.push(statement);
      const result = await query(sql, options);
      answered?.(statement, asked.length);
      return result;
    },
  });
  return asked;
}
