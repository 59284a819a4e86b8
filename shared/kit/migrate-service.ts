import { ConfigError } from '../config/load-config';
import { HistoryEnv } from '../history/history-env';
import type { Logger } from '../domain/logger';
import { createSequelize, ensureDatabase } from '../sql/create-sequelize';
import { migrate } from '../sql/migrate';
import { serviceSqlTarget, ServiceDatabaseEnv } from '../sql/service-database';
import { parseEach } from './function-env';
import type { ServiceDeclaration } from './service-declaration';
import { sqlMigrationsOf } from './service-schema';

/** What one run of a service's migration program applied, store by store (empty: it was up to date). */
export interface MigrationReport {
  readonly database: { readonly name: string; readonly applied: readonly string[] };
  /** Absent when the service keeps no history on Cassandra. */
  readonly keyspace?: { readonly name: string; readonly applied: readonly string[] };
}

// MySQL's ER_DBACCESS_DENIED_ERROR: the user may not create the database (an operator made it, and granted on it).
const DATABASE_ACCESS_DENIED = 1044;

/**
 * Applies every pending migration of a service's stores: its database (created when missing and the user may)
 * and, when its histories live on Cassandra, its keyspace. What the migration Job runs, under a database user that
 * may change the schema, whatever SCHEMA_MIGRATIONS says (the functions' setting). Reads the same variables as the
 * service's functions; a bad one throws a ConfigError naming it.
 */
export async function migrateService(
  service: ServiceDeclaration,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<MigrationReport> {
  const keepsHistories = service.histories.length > 0;
  // Checked together first, so one error names every bad variable; each is then read from the environment.
  parseEach([ServiceDatabaseEnv, ...(keepsHistories ? [HistoryEnv] : [])], env);
  const database = ServiceDatabaseEnv.parse(env);
  const target = serviceSqlTarget(database, service.name);
  const databaseName = target.dialect === 'mysql' ? target.database : target.storage;
  try {
    await ensureDatabase(target);
  } catch (error) {
    if ((error as { errno?: unknown }).errno !== DATABASE_ACCESS_DENIED) throw error;
    logger.warn(`may not create the database ${databaseName}; migrating it as it is`);
  }
  const sequelize = await createSequelize(target, { max: 2 });
  let applied: string[];
  try {
    applied = await migrate(sequelize, sqlMigrationsOf(service));
  } finally {
    await sequelize.close();
  }
  const report = { database: { name: databaseName, applied } };
  if (!keepsHistories) return report;
  const histories = HistoryEnv.parse(env);
  if (histories.HISTORY_BACKEND !== 'cassandra') return report;
  // Loaded here: a service without histories on Cassandra never loads the driver.
  const { migrateServiceKeyspace, serviceKeyspace } = await import('./cassandra-histories');
  const { cassandraClientOptions, createCassandraClient } =
    await import('../cassandra/create-cassandra-client');
  const client = createCassandraClient({ ...cassandraClientOptions(histories), readTimeoutMs: 30_000 });
  try {
    const keyspace = serviceKeyspace(service, histories);
    const done = await migrateServiceKeyspace(service, { client, ...keyspace });
    return { ...report, keyspace: { name: keyspace.name, applied: done } };
  } finally {
    await client.shutdown();
  }
}

/**
 * The migration program of a service (its bundle's entry, dist/<service>-migrate/): migrates, logs one JSON line
 * per store saying what it applied, and resolves to the exit code, 0 or 1 with the reason logged. A configuration
 * error names the variable; any other failure keeps its message (the Job's log is where an operator reads it).
 */
export async function runMigrationProgram(
  service: ServiceDeclaration,
  options: { readonly env?: NodeJS.ProcessEnv; readonly logger: Logger },
): Promise<number> {
  const { logger } = options;
  try {
    const report = await migrateService(service, options.env ?? process.env, logger);
    for (const [kind, store] of Object.entries(report)) {
      const { name, applied } = store as MigrationReport['database'];
      logger.info(
        applied.length === 0
          ? `${kind} ${name}: up to date`
          : `${kind} ${name}: applied ${applied.join(', ')}`,
        { store: kind, name, applied },
      );
    }
    return 0;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.error(
      error instanceof ConfigError ? reason : `migrating the ${service.name} service failed: ${reason}`,
      { error },
    );
    return 1;
  }
}
