import type { Client } from 'cassandra-driver';
import type { Sequelize } from 'sequelize';
import { migrateCassandra, type CassandraMigration } from '../../shared/cassandra/cassandra-migrate';
import { cassandraHistoryMigrations } from '../../shared/history/cassandra-history-store';
import { sqlHistoryMigration } from '../../shared/history/sql-history-store';
import { inboxMigration } from '../../shared/inbox/inbox-migration';
import { outboxMigration } from '../../shared/outbox/outbox-migration';
import { ensureDatabase } from '../../shared/sql/create-sequelize';
import { migrate, migrationsApplied, type Migration } from '../../shared/sql/migrate';
import type { SqlTarget } from '../../shared/sql/sql-target';

/** The history of users' notifications (one stream per user id): a Cassandra table, or `history_notifications`. */
export const NOTIFICATIONS_HISTORY = 'notifications';

/**
 * The order service database. The notifications table is always there, whatever HISTORY_BACKEND says, so that
 * switching a stack to the SQL backend needs no other migration.
 */
export const ORDER_SQL_MIGRATIONS: readonly Migration[] = [
  outboxMigration,
  inboxMigration,
  sqlHistoryMigration(NOTIFICATIONS_HISTORY),
];

/** The order service keyspace. */
export const ORDER_CASSANDRA_MIGRATIONS: readonly CassandraMigration[] =
  cassandraHistoryMigrations(NOTIFICATIONS_HISTORY);

/** The parts of the order service to migrate: each is optional, so a function migrates only what it uses. */
export interface OrderServiceStores {
  readonly sql?: { readonly target: SqlTarget; readonly sequelize: Sequelize };
  readonly cassandra?: {
    /** A client not bound to a keyspace (the keyspace may not exist yet). */
    readonly client: Client;
    readonly keyspace: string;
    /** Replicas per data center, used when the keyspace is created. */
    readonly replication: Readonly<Record<string, number>>;
  };
}

/** What one call applied; both empty when the schema was already up to date. */
export interface OrderServiceMigrated {
  readonly sql: readonly string[];
  readonly cassandra: readonly string[];
}

/**
 * Brings the order service's SQL database (created when missing) and Cassandra keyspace up to date. Functions call
 * it once per process, before first use (see order-connections.ts); instances that start together are safe (a
 * MySQL named lock, a Cassandra lease). When nothing is pending it costs one read per store: the locks, the
 * `CREATE … IF NOT EXISTS` and Cassandra's lightweight transaction are skipped.
 */
export async function migrateOrderService(stores: OrderServiceStores): Promise<OrderServiceMigrated> {
  const [sql, cassandra] = await Promise.all([
    stores.sql ? migrateSql(stores.sql.target, stores.sql.sequelize) : [],
    stores.cassandra ? migrateKeyspace(stores.cassandra) : [],
  ]);
  return { sql, cassandra };
}

async function migrateSql(target: SqlTarget, sequelize: Sequelize): Promise<string[]> {
  if (await migrationsApplied(sequelize, ORDER_SQL_MIGRATIONS)) return [];
  await ensureDatabase(target);
  return migrate(sequelize, ORDER_SQL_MIGRATIONS);
}

async function migrateKeyspace(cassandra: NonNullable<OrderServiceStores['cassandra']>): Promise<string[]> {
  const { client, keyspace, replication } = cassandra;
  const wanted = ORDER_CASSANDRA_MIGRATIONS.map((m) => m.name);
  const applied = async () => {
    const result = await client.execute(`SELECT name FROM ${keyspace}.schema_migrations`, [], {
      prepare: true,
    });
    return result.rows.map((row) => String(row.get('name')));
  };
  if (await allApplied(wanted, applied)) return [];
  return migrateCassandra(client, ORDER_CASSANDRA_MIGRATIONS, { keyspace, replication });
}

/**
 * Whether every wanted migration is recorded. A failing read (no database, keyspace or table yet; the store is
 * down) answers false: the full run then creates what is missing, or fails with the store's real error.
 */
async function allApplied(wanted: readonly string[], applied: () => Promise<string[]>): Promise<boolean> {
  try {
    const done = new Set(await applied());
    return wanted.every((name) => done.has(name));
  } catch {
    return false;
  }
}
