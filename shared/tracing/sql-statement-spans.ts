import type { Sequelize } from 'sequelize';
import { inStatementSpan, type StatementTarget } from './statement-span';

/**
 * Gives each statement a Sequelize instance sends its own span (statement-span.ts). Every statement goes through
 * `sequelize.query`, the models' and the transactions' too (the query interface builds the SQL, then calls it), so
 * wrapping that one method sees them all, with the SQL as sent.
 */
export function traceSqlStatements(sequelize: Sequelize, target: StatementTarget): void {
  const query = sequelize.query.bind(sequelize) as (sql: unknown, options?: unknown) => Promise<unknown>;
  const traced = (sql: unknown, options?: unknown): Promise<unknown> =>
    inStatementSpan(target, statementText(sql), () => query(sql, options));
  Object.assign(sequelize, { query: traced });
}

/** `sequelize.query` takes the SQL, or `{query, values}`. */
function statementText(sql: unknown): string {
  if (typeof sql === 'string') return sql;
  const text = (sql as { query?: unknown } | null)?.query;
  return typeof text === 'string' ? text : '';
}
