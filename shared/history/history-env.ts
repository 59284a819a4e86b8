import { z } from 'zod';
import { CassandraEnv } from '../config/env-schemas';

/**
 * Where a service keeps its histories. `HISTORY_BACKEND=cassandra` (the cluster) in the keyspace
 * `CASSANDRA_KEYSPACE` (default `ecom_<service>`); `sql` (the embedded local stack) in the service database.
 */
export const HistoryEnv = CassandraEnv.extend({
  HISTORY_BACKEND: z.enum(['cassandra', 'sql']).default('cassandra'),
  // Lower case: Cassandra folds unquoted names, and the name is spliced into CQL (see shared/cassandra/cql-name.ts).
  CASSANDRA_KEYSPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,47}$/, 'lower-case letters, digits and _, starting with a letter')
    .optional(),
  /** Replicas per data center when the keyspace is first created (in CASSANDRA_LOCAL_DC); never changes it later. */
  CASSANDRA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(9).default(1),
});
export type HistoryEnv = z.infer<typeof HistoryEnv>;
