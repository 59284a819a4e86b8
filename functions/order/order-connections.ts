import type { Sequelize } from 'sequelize';
import {
  cassandraClientOptions,
  createCassandraClient,
} from '../../shared/cassandra/create-cassandra-client';
import type { HistoryStore } from '../../shared/domain/history-store';
import { lazy } from '../../shared/runtime/lazy';
import { createSequelize, type PoolOptions } from '../../shared/sql/create-sequelize';
import { serviceSqlTarget } from '../../shared/sql/service-database';
import { notificationInbox } from './notification-inbox';
import type { OrderServiceEnv } from './order-config';
import { migrateOrderService } from './order-migrations';
import { notificationsUnavailable, orderDatabaseUnavailable } from './unavailable';

/**
 * The order service's stores for one function process. Nothing is opened when this is built (no I/O at import or
 * at start): each store opens on its first use, is migrated once per process before it is handed out, is reused
 * afterwards, and is closed on SIGTERM. A failed open or migration is forgotten, so the next request tries again.
 */
export interface OrderConnections {
  /** The service database (MySQL, or SQLite in the embedded stack), migrated. */
  readonly database: () => Promise<Sequelize>;
  /** The notification inboxes on HISTORY_BACKEND, migrated; see notification-inbox.ts for its errors. */
  readonly notifications: () => Promise<HistoryStore>;
}

/**
 * Builds the order service's lazily opened stores from its config. Each function migrates only the stores it
 * uses: with HISTORY_BACKEND=cassandra a function that only reads inboxes never connects to MySQL.
 * Failures to connect or migrate are AppErrors of kind `unavailable` (503: retried).
 */
export function orderConnections(
  env: OrderServiceEnv,
  options: { pool?: PoolOptions } = {},
): OrderConnections {
  const target = serviceSqlTarget(env, 'order');
  const sequelize = lazy(
    'order database',
    () => createSequelize(target, options.pool),
    (opened) => opened.close(),
  );
  const cassandra = lazy(
    'order cassandra',
    () => Promise.resolve(createCassandraClient(cassandraClientOptions(env))),
    (client) => client.shutdown(),
  );
  const sqlMigrated = lazy('order database migrations', async () =>
    migrateOrderService({ sql: { target, sequelize: await sequelize() } }),
  );
  const cassandraMigrated = lazy('order keyspace migrations', async () =>
    migrateOrderService({
      cassandra: {
        client: await cassandra(),
        keyspace: env.CASSANDRA_KEYSPACE,
        // NetworkTopologyStrategy in the local data center: right on the cluster, and a one-node dev DC too.
        replication: { [env.CASSANDRA_LOCAL_DC]: env.CASSANDRA_REPLICATION_FACTOR },
      },
    }),
  );

  const database = async () => {
    try {
      await sqlMigrated();
      return await sequelize();
    } catch (error) {
      throw orderDatabaseUnavailable(error);
    }
  };

  const notifications = async (): Promise<HistoryStore> => {
    if (env.HISTORY_BACKEND === 'sql') return notificationInbox({ kind: 'sql', sequelize: await database() });
    try {
      await cassandraMigrated();
      return notificationInbox({
        kind: 'cassandra',
        client: await cassandra(),
        keyspace: env.CASSANDRA_KEYSPACE,
      });
    } catch (error) {
      throw notificationsUnavailable(error);
    }
  };

  return { database, notifications };
}
