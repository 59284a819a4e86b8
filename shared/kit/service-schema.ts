import type { Sequelize } from 'sequelize';
import { sqlHistoryMigration } from '../history/sql-history-migration';
import { processedEventsMigrations } from '../idempotency/processed-events-migration';
import { outboxMigrations } from '../outbox/outbox-migration';
import { ensureDatabase } from '../sql/create-sequelize';
import { migrate, migrationsApplied, pendingMigrations, type Migration } from '../sql/migrate';
import type { SchemaMigrations } from '../sql/service-database';
import type { SqlTarget } from '../sql/sql-target';
import { migrationJobOf, SchemaNotMigrated } from './schema-not-migrated';
import type { ServiceDeclaration } from './service-declaration';

/**
 * A service database's migrations: the outbox, the processed events, a table per history (always there, so a
 * stack can switch HISTORY_BACKEND to sql with no other migration), then the service's own.
 */
export function sqlMigrationsOf(service: ServiceDeclaration): Migration[] {
  return [
    ...outboxMigrations,
    ...processedEventsMigrations,
    ...service.histories.map((history) => sqlHistoryMigration(history)),
    ...service.migrations,
  ];
}

/**
 * Brings a service database up to date, creating it when missing. A function does this once per instance before
 * its first use; instances that start together are safe (a MySQL named lock). When nothing is pending it costs
 * one read and takes no lock. Returns the migrations this call applied.
 */
export async function migrateServiceDatabase(
  service: ServiceDeclaration,
  target: SqlTarget,
  sequelize: Sequelize,
): Promise<string[]> {
  const migrations = sqlMigrationsOf(service);
  if (await migrationsApplied(sequelize, migrations)) return [];
  await ensureDatabase(target);
  return migrate(sequelize, migrations);
}

/**
 * Checks that every migration of the service database is recorded, running no DDL: what a function does on first
 * use when the migration Job migrates (SCHEMA_MIGRATIONS=job). One read; throws {@link SchemaNotMigrated} when some
 * are missing (or the database does not exist yet).
 */
export async function checkServiceDatabase(
  service: ServiceDeclaration,
  target: SqlTarget,
  sequelize: Sequelize,
): Promise<void> {
  const pending = await pendingMigrations(sequelize, sqlMigrationsOf(service));
  if (pending.length === 0) return;
  const store = target.dialect === 'mysql' ? `database ${target.database}` : `database ${target.storage}`;
  throw new SchemaNotMigrated(store, pending, migrationJobOf(service.name));
}

/** What a function does with its service database before first use, as SCHEMA_MIGRATIONS says. */
export async function prepareServiceDatabase(
  service: ServiceDeclaration,
  target: SqlTarget,
  sequelize: Sequelize,
  mode: SchemaMigrations,
): Promise<void> {
  if (mode === 'job') await checkServiceDatabase(service, target, sequelize);
  else await migrateServiceDatabase(service, target, sequelize);
}
