import type { Sequelize } from 'sequelize';

/**
 * The few places where SQLite and MySQL/MariaDB differ for a history table. Everything else (the keyset reads,
 * the count) is the same SQL on both: SQLite accepts MySQL's backtick quoting.
 */
export interface SqlHistoryDialect {
  /** DDL creating the table and its read index; idempotent. */
  createTable(table: string): readonly string[];
  /** An INSERT that rewrites the row with the same (stream, id): replays never duplicate. */
  upsert(table: string): string;
  /** The value bound for a `time` column. */
  timeToSql(time: Date): string;
  /** The `time` column as the driver returns it, back to a Date. */
  timeFromSql(value: unknown): Date;
}

function parseTime(value: unknown, text: (value: string) => string): Date {
  const time = value instanceof Date ? value : typeof value === 'string' ? new Date(text(value)) : undefined;
  if (time === undefined || Number.isNaN(time.getTime()))
    throw new Error(`Unreadable history time: ${String(value)}`);
  return time;
}

const mysql: SqlHistoryDialect = {
  // Binary collation for the keys: ids are compared byte-wise like Cassandra does (the service database's default
  // collation is case- and accent-insensitive, which would merge `A` and `a` and order ids differently).
  createTable: (table) => [
    `CREATE TABLE IF NOT EXISTS \`${table}\` (
      \`stream\` VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      \`id\` VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      \`time\` DATETIME(3) NOT NULL,
      \`kind\` VARCHAR(100) NOT NULL,
      \`data\` TEXT NOT NULL,
      PRIMARY KEY (\`stream\`, \`id\`),
      KEY \`${table}_stream_time_id\` (\`stream\`, \`time\`, \`id\`)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  ],
  // VALUES() rather than the `AS new` row alias: MariaDB does not know the alias.
  upsert: (table) =>
    `INSERT INTO \`${table}\` (\`stream\`, \`id\`, \`time\`, \`kind\`, \`data\`) VALUES (?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE \`time\` = VALUES(\`time\`), \`kind\` = VALUES(\`kind\`), \`data\` = VALUES(\`data\`)`,
  // A UTC literal of our own rather than a Date: no dependency on the connection's time zone handling.
  timeToSql: (time) => time.toISOString().replace('T', ' ').replace('Z', ''),
  timeFromSql: (value) => parseTime(value, (text) => `${text.replace(' ', 'T')}Z`),
};

const sqlite: SqlHistoryDialect = {
  // SQLite has no date type: ISO-8601 UTC text with milliseconds has a fixed width, so it sorts as it should.
  createTable: (table) => [
    `CREATE TABLE IF NOT EXISTS \`${table}\` (
      \`stream\` VARCHAR(191) NOT NULL,
      \`id\` VARCHAR(100) NOT NULL,
      \`time\` TEXT NOT NULL,
      \`kind\` VARCHAR(100) NOT NULL,
      \`data\` TEXT NOT NULL,
      PRIMARY KEY (\`stream\`, \`id\`)
    )`,
    `CREATE INDEX IF NOT EXISTS \`${table}_stream_time_id\` ON \`${table}\` (\`stream\`, \`time\`, \`id\`)`,
  ],
  upsert: (table) =>
    `INSERT INTO \`${table}\` (\`stream\`, \`id\`, \`time\`, \`kind\`, \`data\`) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (\`stream\`, \`id\`) DO UPDATE SET
       \`time\` = excluded.\`time\`, \`kind\` = excluded.\`kind\`, \`data\` = excluded.\`data\``,
  timeToSql: (time) => time.toISOString(),
  timeFromSql: (value) => parseTime(value, (text) => text),
};

/** The dialect of a Sequelize instance; only SQLite and MySQL/MariaDB hold histories. */
export function sqlHistoryDialect(sequelize: Sequelize): SqlHistoryDialect {
  const name = sequelize.getDialect();
  if (name === 'mysql' || name === 'mariadb') return mysql;
  if (name === 'sqlite') return sqlite;
  throw new Error(`No SQL history store for the ${name} dialect`);
}
