import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, types } from 'cassandra-driver';
import { assertCqlName } from './cql-name';

/** One versioned schema change. Names sort in application order (`0001-...`) and never change once shipped. */
export interface CassandraMigration {
  readonly name: string;
  /** Idempotent statements (`IF NOT EXISTS`), table names qualified with the keyspace given. */
  cql(keyspace: string): readonly string[];
}

export interface CassandraMigrateOptions {
  readonly keyspace: string;
  /**
   * Replication when the keyspace is created: a replication factor (SimpleStrategy, default 1: the dev node), or
   * a data center → replication factor map (NetworkTopologyStrategy, for the cluster). Never changes an
   * existing keyspace.
   */
  readonly replication?: number | Readonly<Record<string, number>>;
  /** How long to wait for another instance's run to finish; default 60 s. */
  readonly lockTimeoutMs?: number;
}

// Schema changes take longer than reads, and the driver also waits for schema agreement within the request.
const DDL = { readTimeout: 30_000, isIdempotent: true } as const;
const LOCK_TTL_S = 300;
const SCHEMA_AGREEMENT_TIMEOUT_MS = 30_000;

function replicationCql(replication: CassandraMigrateOptions['replication'] = 1): string {
  if (typeof replication === 'number') {
    if (!Number.isInteger(replication) || replication < 1)
      throw new Error(`Invalid replication factor ${replication}`);
    return `{'class': 'SimpleStrategy', 'replication_factor': ${replication}}`;
  }
  const entries = Object.entries(replication);
  if (entries.length === 0) throw new Error('A replication map needs at least one data center');
  const dcs = entries.map(([dc, rf]) => {
    // Data center names are spliced into the statement: allow only what data center names look like.
    if (!/^[A-Za-z0-9_.-]+$/.test(dc) || !Number.isInteger(rf) || rf < 1) {
      throw new Error(`Invalid replication for data center ${dc}: ${rf}`);
    }
    return `'${dc}': ${rf}`;
  });
  return `{'class': 'NetworkTopologyStrategy', ${dcs.join(', ')}}`;
}

/**
 * The driver waits up to `maxSchemaAgreementWaitSeconds` after each schema change and then goes on anyway,
 * flagging the result. Before a later statement uses the new table, every node must know it: keep checking.
 * (Both members exist at run time but are missing from the driver's type declarations.)
 */
async function awaitSchemaAgreement(client: Client, result: types.ResultSet): Promise<void> {
  const info = result.info as { isSchemaInAgreement?: boolean };
  if (info.isSchemaInAgreement !== false) return;
  const metadata = client.metadata as unknown as { checkSchemaAgreement(): Promise<boolean> };
  const deadline = Date.now() + SCHEMA_AGREEMENT_TIMEOUT_MS;
  while (!(await metadata.checkSchemaAgreement())) {
    if (Date.now() > deadline) throw new Error('Cassandra nodes did not agree on the schema in time');
    await sleep(500);
  }
}

async function runDdl(client: Client, cql: string): Promise<void> {
  await awaitSchemaAgreement(client, await client.execute(cql, [], DDL));
}

/**
 * A lease on a lightweight-transaction row, so that instances starting together apply migrations one at a time
 * (concurrent schema changes through different coordinators can disagree). The TTL frees it if its holder dies.
 */
async function withMigrationLock<T>(
  client: Client,
  keyspace: string,
  timeoutMs: number,
  run: () => Promise<T>,
) {
  const owner = randomUUID();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const claim = await client.execute(
      `INSERT INTO ${keyspace}.schema_migrations_lock (lock, owner) VALUES ('migrate', ?) IF NOT EXISTS USING TTL ${LOCK_TTL_S}`,
      [owner],
      { prepare: true },
    );
    if (claim.wasApplied()) break;
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for the migration lock of keyspace ${keyspace}`);
    await sleep(200 + Math.random() * 300);
  }
  try {
    return await run();
  } finally {
    await client.execute(
      `DELETE FROM ${keyspace}.schema_migrations_lock WHERE lock = 'migrate' IF owner = ?`,
      [owner],
      {
        prepare: true,
      },
    );
  }
}

/**
 * Creates the keyspace when missing, then applies the pending migrations in name order, recording each in
 * `<keyspace>.schema_migrations` so it runs once. Safe to run from several instances at once: the bootstrap
 * statements are idempotent and the migrations themselves run under a lock. Returns the names applied by this
 * call. The client must not be bound to the keyspace (it may not exist yet).
 */
export async function migrateCassandra(
  client: Client,
  migrations: readonly CassandraMigration[],
  options: CassandraMigrateOptions,
): Promise<string[]> {
  const { keyspace } = options;
  assertCqlName(keyspace, 'keyspace');
  await runDdl(
    client,
    `CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = ${replicationCql(options.replication)}`,
  );
  await runDdl(
    client,
    `CREATE TABLE IF NOT EXISTS ${keyspace}.schema_migrations (name text PRIMARY KEY, applied_at timestamp)`,
  );
  await runDdl(
    client,
    `CREATE TABLE IF NOT EXISTS ${keyspace}.schema_migrations_lock (lock text PRIMARY KEY, owner text)`,
  );

  return withMigrationLock(client, keyspace, options.lockTimeoutMs ?? 60_000, async () => {
    const done = await client.execute(`SELECT name FROM ${keyspace}.schema_migrations`, [], {
      prepare: true,
    });
    const applied = new Set(done.rows.map((row) => String(row.get('name'))));
    const pending = [...migrations]
      .sort((a, b) => a.name.localeCompare(b.name))
      .filter((migration) => !applied.has(migration.name));
    for (const migration of pending) {
      for (const cql of migration.cql(keyspace)) await runDdl(client, cql);
      await client.execute(
        `INSERT INTO ${keyspace}.schema_migrations (name, applied_at) VALUES (?, ?)`,
        [migration.name, new Date()],
        { prepare: true },
      );
    }
    return pending.map((migration) => migration.name);
  });
}
