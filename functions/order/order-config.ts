import { z } from 'zod';
import { CassandraEnv } from '../../shared/config/env-schemas';
import { ServiceDatabaseEnv } from '../../shared/sql/service-database';

/**
 * The settings every function of the order service reads: its SQL database (`DB_DIALECT`, `MYSQL_*`,
 * `SQLITE_DIR`), and where its histories live. `HISTORY_BACKEND=cassandra` (the cluster) keeps them in the
 * keyspace `CASSANDRA_KEYSPACE`; `sql` (the embedded local stack) in the service database beside everything else.
 */
export const OrderServiceEnv = ServiceDatabaseEnv.extend({
  ...CassandraEnv.shape,
  HISTORY_BACKEND: z.enum(['cassandra', 'sql']).default('cassandra'),
  // Lower case: Cassandra folds unquoted names, and the name is spliced into CQL (see shared/cassandra/cql-name.ts).
  CASSANDRA_KEYSPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,47}$/, 'lower-case letters, digits and _, starting with a letter')
    .default('ecom_order'),
  /** Replicas per data center when the keyspace is first created (in CASSANDRA_LOCAL_DC); never changes it later. */
  CASSANDRA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(9).default(1),
});
export type OrderServiceEnv = z.infer<typeof OrderServiceEnv>;

/** The order service's variables that hold secrets (the service's Secret); the others come from its ConfigMap. */
export const ORDER_SERVICE_SECRETS = ['MYSQL_PASSWORD'] as const;
