import { types, type Client } from 'cassandra-driver';
import type { CassandraMigration } from '../cassandra/cassandra-migrate';
import { assertCqlName } from '../cassandra/cql-name';
import {
  assertHistoryStream,
  fromStoredEntry,
  toStoredEntry,
  type StoredHistoryEntry,
} from './history-entry-codec';
import { planHistoryRead, toHistoryPage, type HistoryReadPlan } from './history-read-plan';
import type { HistoryStore } from '../domain/history-store';
import { assertHistoryName } from './history-table-name';

/**
 * The migrations creating the table of one history. One partition per stream, rows clustered newest first (the
 * usual read), keyed by (time, id): a replayed event carries its own time and id, so it rewrites its row.
 */
export function cassandraHistoryMigrations(name: string): CassandraMigration[] {
  assertHistoryName(name);
  return [
    {
      name: `0100-history-${name}`,
      cql: (keyspace) => [
        `CREATE TABLE IF NOT EXISTS ${keyspace}.${name} (
          stream text, time timestamp, id text, kind text, data text,
          PRIMARY KEY ((stream), time, id)
        ) WITH CLUSTERING ORDER BY (time DESC, id DESC)`,
      ],
    },
  ];
}

export interface CassandraHistoryStoreOptions {
  readonly keyspace: string;
  /** The history's name, which is its table's name. */
  readonly name: string;
}

/** The keyset query of a read plan; the strict bounds make a cursor resume right after its entry. */
function readQuery(table: string, plan: HistoryReadPlan): string {
  const newest = plan.order === 'newest-first';
  const after = plan.after ? ` AND (time, id) ${newest ? '<' : '>'} (?, ?)` : '';
  // Newest first is the clustering order; the other order reads the partition backwards.
  const orderBy = newest ? '' : ' ORDER BY time ASC, id ASC';
  return `SELECT id, time, kind, data FROM ${table} WHERE stream = ?${after}${orderBy} LIMIT ?`;
}

function toStored(row: types.Row): StoredHistoryEntry {
  const id: unknown = row.get('id');
  const time: unknown = row.get('time');
  const kind: unknown = row.get('kind');
  const data: unknown = row.get('data');
  if (
    typeof id !== 'string' ||
    !(time instanceof Date) ||
    typeof kind !== 'string' ||
    typeof data !== 'string'
  ) {
    throw new Error(`Malformed history row ${String(id)}`);
  }
  return { id, time, kind, data };
}

/**
 * A history store on Cassandra. The table must exist: run {@link cassandraHistoryMigrations} with
 * `migrateCassandra`. Every statement is prepared; appends are marked idempotent so the driver may retry them.
 */
export function createCassandraHistoryStore(
  client: Client,
  options: CassandraHistoryStoreOptions,
): HistoryStore {
  assertCqlName(options.keyspace, 'keyspace');
  assertHistoryName(options.name);
  const table = `${options.keyspace}.${options.name}`;
  const insert = `INSERT INTO ${table} (stream, time, id, kind, data) VALUES (?, ?, ?, ?, ?)`;
  const countQuery = `SELECT COUNT(*) AS n FROM ${table} WHERE stream = ?`;

  return {
    async append(stream, entry) {
      assertHistoryStream(stream);
      const stored = toStoredEntry(entry);
      await client.execute(insert, [stream, stored.time, stored.id, stored.kind, stored.data], {
        prepare: true,
        isIdempotent: true,
      });
    },

    async read(stream, options) {
      assertHistoryStream(stream);
      const plan = planHistoryRead(options);
      const after = plan.after ? [plan.after.time, plan.after.id] : [];
      const result = await client.execute(readQuery(table, plan), [stream, ...after, plan.limit + 1], {
        prepare: true,
        isIdempotent: true,
      });
      return toHistoryPage(
        plan,
        result.rows.map((row) => fromStoredEntry(toStored(row))),
      );
    },

    async count(stream) {
      assertHistoryStream(stream);
      const result = await client.execute(countQuery, [stream], { prepare: true, isIdempotent: true });
      const n: unknown = result.rows[0]?.get('n');
      return n instanceof types.Long ? n.toNumber() : Number(n ?? 0);
    },
  };
}
