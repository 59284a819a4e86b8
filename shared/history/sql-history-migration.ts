import type { Migration } from '../sql/migrate';
import { assertHistoryName } from './history-table-name';
import { sqlHistoryDialect } from './sql-history-dialect';

/** The table of a history in a service database. */
export function sqlHistoryTable(name: string): string {
  assertHistoryName(name);
  return `history_${name}`;
}

/**
 * The migration creating the table of one history, for the service's migration list. Its name sorts after the
 * service's own first migrations and never changes: umzug records it once applied.
 */
export function sqlHistoryMigration(name: string): Migration {
  const table = sqlHistoryTable(name);
  return {
    name: `0100-history-${name}`,
    async up({ sequelize }) {
      for (const ddl of sqlHistoryDialect(sequelize).createTable(table)) await sequelize.query(ddl);
    },
    async down({ sequelize }) {
      await sequelize.query(`DROP TABLE IF EXISTS \`${table}\``);
    },
  };
}
