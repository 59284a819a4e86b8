import { QueryTypes, type Sequelize } from 'sequelize';
import { assertHistoryStream, fromStoredEntry, toStoredEntry } from './history-entry-codec';
import { planHistoryRead, toHistoryPage, type HistoryReadPlan } from './history-read-plan';
import type { HistoryStore } from '../domain/history-store';
import { sqlHistoryTable } from './sql-history-migration';
import { sqlHistoryDialect } from './sql-history-dialect';

interface HistoryRow {
  readonly id: string;
  readonly time: unknown;
  readonly kind: string;
  readonly data: string;
}

/** The keyset query of a read plan; the strict bounds make a cursor resume right after its entry. */
function readQuery(table: string, plan: HistoryReadPlan): string {
  const [cmp, dir] = plan.order === 'newest-first' ? (['<', 'DESC'] as const) : (['>', 'ASC'] as const);
  // Spelled out rather than a row comparison `(time, id) < (?, ?)`, which MySQL does not turn into an index range.
  const after = plan.after ? ` AND (\`time\` ${cmp} ? OR (\`time\` = ? AND \`id\` ${cmp} ?))` : '';
  return `SELECT \`id\`, \`time\`, \`kind\`, \`data\` FROM \`${table}\` WHERE \`stream\` = ?${after}
    ORDER BY \`time\` ${dir}, \`id\` ${dir} LIMIT ?`;
}

/**
 * A history store over a service database (SQLite in the local stack, MySQL/MariaDB elsewhere). The table must
 * exist: add {@link sqlHistoryMigration} to the service's migrations.
 */
export function createSqlHistoryStore(sequelize: Sequelize, name: string): HistoryStore {
  const table = sqlHistoryTable(name);
  const dialect = sqlHistoryDialect(sequelize);
  const upsert = dialect.upsert(table);

  return {
    async append(stream, entry) {
      assertHistoryStream(stream);
      const stored = toStoredEntry(entry);
      await sequelize.query(upsert, {
        replacements: [stream, stored.id, dialect.timeToSql(stored.time), stored.kind, stored.data],
      });
    },

    async read(stream, options) {
      assertHistoryStream(stream);
      const plan = planHistoryRead(options);
      const after = plan.after
        ? [dialect.timeToSql(plan.after.time), dialect.timeToSql(plan.after.time), plan.after.id]
        : [];
      const rows = await sequelize.query<HistoryRow>(readQuery(table, plan), {
        replacements: [stream, ...after, plan.limit + 1],
        type: QueryTypes.SELECT,
      });
      const entries = rows.map((row) => fromStoredEntry({ ...row, time: dialect.timeFromSql(row.time) }));
      return toHistoryPage(plan, entries);
    },

    async count(stream) {
      assertHistoryStream(stream);
      const [row] = await sequelize.query<{ n: number | string }>(
        `SELECT COUNT(*) AS \`n\` FROM \`${table}\` WHERE \`stream\` = ?`,
        { replacements: [stream], type: QueryTypes.SELECT },
      );
      return Number(row?.n ?? 0);
    },
  };
}
