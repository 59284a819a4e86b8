import { QueryTypes, type QueryInterface, type Sequelize } from 'sequelize';
import { withNamedLock } from './named-lock';
import { sqliteWriterLock } from './sqlite-writer-lock';

/** One versioned schema change. Names sort in application order (`0001-...`) and never change once shipped. */
export interface Migration {
  readonly name: string;
  up(context: { queryInterface: QueryInterface; sequelize: Sequelize }): Promise<void>;
  down?(context: { queryInterface: QueryInterface; sequelize: Sequelize }): Promise<void>;
}

const LOCK_TIMEOUT_S = 60;

/**
 * Applies the pending migrations in name order and records them in `schema_migrations`.
 * Several instances of a service may start together (scale from zero under load), so on MySQL the run holds a
 * named lock: the first applies, the others wait and then find nothing to do. On SQLite the lock is per process
 * (the embedded local stack migrates each service once, before it starts the service's functions).
 * Returns the names applied by this call.
 */
export async function migrate(sequelize: Sequelize, migrations: readonly Migration[]): Promise<string[]> {
  // Loaded here, not at start: umzug brings a CLI toolkit, and a function migrates once per deploy at most.
  const { SequelizeStorage, Umzug } = await import('umzug');
  const context = { queryInterface: sequelize.getQueryInterface(), sequelize };
  const umzug = new Umzug({
    migrations: [...migrations]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((m) => ({
        name: m.name,
        up: () => m.up(context),
        down: () => (m.down ? m.down(context) : Promise.resolve()),
      })),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    context,
    logger: undefined,
  });
  const run = async () => (await umzug.up()).map((m) => m.name);
  if (sequelize.getDialect() === 'sqlite') return sqliteWriterLock(sequelize).runExclusive(run);

  return withNamedLock(sequelize, `migrate:${sequelize.getDatabaseName()}`, LOCK_TIMEOUT_S, run);
}

/**
 * Whether every migration is already recorded: one read and no lock, the cheap check a function makes on its
 * first request. False when the database or the table does not exist yet (then `migrate` does the work).
 */
export async function migrationsApplied(
  sequelize: Sequelize,
  migrations: readonly Migration[],
): Promise<boolean> {
  try {
    const rows = await sequelize.query<{ name: string }>('SELECT name FROM schema_migrations', {
      type: QueryTypes.SELECT,
    });
    const applied = new Set(rows.map((row) => row.name));
    return migrations.every((migration) => applied.has(migration.name));
  } catch {
    return false;
  }
}

/**
 * The migrations not yet recorded, in name order: all of them when the database or `schema_migrations` does not
 * exist yet. Any other failure (the server is down, access is refused) is thrown, not taken for a missing schema.
 */
export async function pendingMigrations(
  sequelize: Sequelize,
  migrations: readonly Migration[],
): Promise<string[]> {
  const names = migrations.map((migration) => migration.name).sort((a, b) => a.localeCompare(b));
  let rows: { name: string }[];
  try {
    rows = await sequelize.query<{ name: string }>('SELECT name FROM schema_migrations', {
      type: QueryTypes.SELECT,
    });
  } catch (error) {
    if (isMissingSchema(error)) return names;
    throw error;
  }
  const applied = new Set(rows.map((row) => row.name));
  return names.filter((name) => !applied.has(name));
}

// MySQL's "no such table" and "unknown database" (sequelize keeps the driver's error as `original`/`parent`), and
// SQLite's message for a missing table.
const MISSING_SCHEMA_CODES = new Set(['ER_NO_SUCH_TABLE', 'ER_BAD_DB_ERROR']);

function isMissingSchema(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const { code, message } = cause as Error & { code?: unknown };
    if (typeof code === 'string' && MISSING_SCHEMA_CODES.has(code)) return true;
    if (message.includes('no such table')) return true;
    const next = cause as { original?: unknown; parent?: unknown; cause?: unknown };
    cause = next.original ?? next.parent ?? next.cause;
  }
  return false;
}
