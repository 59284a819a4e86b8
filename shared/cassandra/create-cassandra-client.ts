import { Client, types } from 'cassandra-driver';
import type { CassandraEnv } from '../config/env-schemas';
import { traceCqlStatements } from '../tracing/cql-statement-spans';

/** What a function needs to reach Cassandra; {@link cassandraClientOptions} reads it from the environment. */
export interface CassandraClientOptions {
  /** `host:port` (or `host`, port 9042) of a few nodes; the driver discovers the others. */
  readonly contactPoints: readonly string[];
  /** The data center this function runs next to; the driver routes requests to its nodes only. */
  readonly localDataCenter: string;
  /** Keyspace used for unqualified table names. Leave it out when the keyspace may not exist yet (migrations). */
  readonly keyspace?: string;
  /** Per-request timeout; default 5 s. */
  readonly readTimeoutMs?: number;
}

/** The client options from the validated `CASSANDRA_*` environment. */
export function cassandraClientOptions(env: CassandraEnv, keyspace?: string): CassandraClientOptions {
  return {
    contactPoints: env.CASSANDRA_CONTACT_POINTS,
    localDataCenter: env.CASSANDRA_LOCAL_DC,
    ...(keyspace === undefined ? {} : { keyspace }),
  };
}

/**
 * Builds a cassandra-driver client. Construction does no I/O: the driver connects on the first request, so a
 * function that does not touch Cassandra on a given request pays nothing at cold start. Callers pass
 * `{ prepare: true }` on their queries (the driver prepares once per query text and reuses the statement) and
 * `shutdown()` the client when their instance stops. Each statement it executes is a span when traced.
 */
export function createCassandraClient(options: CassandraClientOptions): Client {
  const client = new Client({
    contactPoints: [...options.contactPoints],
    localDataCenter: options.localDataCenter,
    ...(options.keyspace === undefined ? {} : { keyspace: options.keyspace }),
    // A request should fail fast and let Knative's retry (or the event's redelivery) try again, rather than hold
    // an instance for the driver's 12 s default.
    socketOptions: { connectTimeout: 3_000, readTimeout: options.readTimeoutMs ?? 5_000 },
    protocolOptions: { maxSchemaAgreementWaitSeconds: 10 },
    // Quorum in the local DC: a read sees every acknowledged write even when one replica is down.
    queryOptions: {
      consistency: types.consistencies.localQuorum,
      serialConsistency: types.consistencies.localSerial,
    },
    // Cold start: skip downloading the whole schema (only token-aware routing uses it; requests still go to the
    // local DC), open connections to other nodes when first needed, and prepare statements on the node in use
    // only (another node that lacks one makes the driver re-prepare it there).
    isMetadataSyncEnabled: false,
    pooling: { warmup: false },
    prepareOnAllHosts: false,
  });
  traceCqlStatements(client, options.keyspace);
  return client;
}

/**
 * The code-cache rehearsal's step (shared/runtime/code-cache-warm-up.ts) for a function that uses Cassandra: it
 * queries as a first request does, through the driver's connect and request path up to the refusal (nothing
 * listens on port 1).
 */
export async function rehearseCassandra(): Promise<void> {
  const client = createCassandraClient({ contactPoints: ['127.0.0.1:1'], localDataCenter: 'rehearsal' });
  await client.execute('SELECT release_version FROM system.local').catch(() => undefined);
  await client.shutdown();
}
