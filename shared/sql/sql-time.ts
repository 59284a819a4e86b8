import type { Sequelize } from 'sequelize';

/**
 * A time as a raw statement's replacement, written as the models write it: UTC to the millisecond (the columns are
 * DATETIME(3)), with its offset on SQLite. A Date given as it is would lose its milliseconds on MySQL, where
 * sequelize formats a replacement to the second.
 */
export function sqlTime(sequelize: Sequelize, time: Date): string;
export function sqlTime(sequelize: Sequelize, time: Date | null): string | null;
export function sqlTime(sequelize: Sequelize, time: Date | null): string | null {
  if (time === null) return null;
  const text = time.toISOString().replace('T', ' ').slice(0, 23);
  return sequelize.getDialect() === 'sqlite' ? `${text} +00:00` : text;
}

/** `values` as a raw statement's replacements: every Date in them written by sqlTime, the rest as they are. */
export function sqlValues(
  sequelize: Sequelize,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      value instanceof Date ? sqlTime(sequelize, value) : value,
    ]),
  );
}
