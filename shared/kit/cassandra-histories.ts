import type { Client } from 'cassandra-driver';
import { migrateCassandra, type CassandraMigration } from '../cassandra/cassandra-migrate';
import { cassandraClientOptions, createCassandraClient } from '../cassandra/create-cassandra-client';
import type { HistoryStore } from '../domain/history-store';
import { cassandraHistoryMigrations, createCassandraHistoryStore } from '../history/cassandra-history-store';
import type { HistoryEnv } from '../history/history-env';
import type { SchemaMigrations } from '../sql/service-database';
import { migrationJobOf, SchemaNotMigrated } from './schema-not-migrated';
import type { ServiceDeclaration } from './service-declaration';

/**
 * A service's histories on Cassandra (HISTORY_BACKEND=cassandra): its keyspace, migrated before first use. A module
 * of its own, loaded only when a function first reads or writes a history, so no other function loads the driver.
 */
export interface CassandraHistories {
  readonly client: Client;
  history(name: string): HistoryStore;
}

/** A service keyspace's migrations: a table per history. */
export function cassandraMigrationsOf(service: ServiceDeclaration): CassandraMigration[] {
  return service.histories.flatMap((history) => cassandraHistoryMigrations(history));
}

/** The service keyspace's name (`ecom_<service>` unless CASSANDRA_KEYSPACE names it) and its replication. */
export function serviceKeyspace(
  service: ServiceDeclaration,
  env: HistoryEnv,
): { readonly name: string; readonly replication: Record<string, number> } {
  return {
    name: env.CASSANDRA_KEYSPACE ?? `ecom_${service.name}`,
    // NetworkTopologyStrategy in the local data center: right on the cluster, and a one-node dev DC too.
    replication: { [env.CASSANDRA_LOCAL_DC]: env.CASSANDRA_REPLICATION_FACTOR },
  };
}

/**
 * Connects to the service keyspace and, as SCHEMA_MIGRATIONS says, migrates it (`at-start`) or checks that the
 * migration Job did (`job`: no DDL; {@link SchemaNotMigrated} when a migration is missing).
 */
export async function openCassandraHistories(
  service: ServiceDeclaration,
  env: HistoryEnv,
  opened: (client: Client) => void,
  mode: SchemaMigrations = 'at-start',
): Promise<CassandraHistories> {
  const client = createCassandraClient(cassandraClientOptions(env));
  opened(client);
  const { name: keyspace, replication } = serviceKeyspace(service, env);
  if (mode === 'job') await checkServiceKeyspace(service, { client, name: keyspace });
  else await migrateServiceKeyspace(service, { client, name: keyspace, replication });
  return { client, history: (name) => createCassandraHistoryStore(client, { keyspace, name }) };
}

// Cassandra's "Invalid" error (native protocol 0x2200): what a read of a keyspace or table that does not exist gets.
const INVALID_QUERY = 0x2200;

/**
 * Checks that every migration of the service keyspace is recorded, running no DDL (SCHEMA_MIGRATIONS=job): one
 * read. A keyspace or table that does not exist yet counts as nothing recorded; any other failure is thrown.
 */
export async function checkServiceKeyspace(
  service: ServiceDeclaration,
  keyspace: { readonly client: Client; readonly name: string },
): Promise<void> {
  const names = cassandraMigrationsOf(service).map((migration) => migration.name);
  let applied = new Set<string>();
  try {
    const done = await keyspace.client.execute(`SELECT name FROM ${keyspace.name}.schema_migrations`, [], {
      prepare: true,
    });
    applied = new Set(done.rows.map((row) => String(row.get('name'))));
  } catch (error) {
    if ((error as { code?: unknown }).code !== INVALID_QUERY) throw error;
  }
  const pending = names.filter((name) => !applied.has(name)).sort((a, b) => a.localeCompare(b));
  if (pending.length > 0)
    throw new SchemaNotMigrated(`keyspace ${keyspace.name}`, pending, migrationJobOf(service.name));
}

/**
 * Brings a service keyspace up to date, creating it when missing (with `replication` per data center). When nothing
 * is pending it costs one read and takes no lock; otherwise a lease keeps instances from migrating at once. The
 * client is not bound to the keyspace (it may not exist yet). Returns the migrations this call applied.
 */
export async function migrateServiceKeyspace(
  service: ServiceDeclaration,
  keyspace: { readonly client: Client; readonly name: string; readonly replication: Record<string, number> },
): Promise<string[]> {
  const migrations = cassandraMigrationsOf(service);
  const { client, name } = keyspace;
  try {
    const done = await client.execute(`SELECT name FROM ${name}.schema_migrations`, [], { prepare: true });
    const applied = new Set(done.rows.map((row) => String(row.get('name'))));
    if (migrations.every((migration) => applied.has(migration.name))) return [];
  } catch {
    // No keyspace or table yet, or the store is down: the full run creates what is missing, or fails for real.
  }
  return migrateCassandra(client, migrations, { keyspace: name, replication: keyspace.replication });
}
