import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HTTP, type CloudEvent } from 'cloudevents';
import { QueryTypes } from 'sequelize';
import { createSequelize } from '../../shared/sql/create-sequelize';
import { migrate, type Migration } from '../../shared/sql/migrate';

/** An event of the embedded log and its position (1, 2, 3… in append order). */
export interface StoredEvent {
  readonly position: number;
  readonly event: CloudEvent<unknown>;
}

const schema: Migration = {
  name: '0001-broker-log',
  async up({ sequelize }) {
    // Events in structured JSON: it keeps every attribute, extension and data encoding as it came in.
    await sequelize.query(
      'CREATE TABLE broker_events (position INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL)',
    );
    // Per consumer group (one per Trigger): the position of the last event whose delivery ended.
    await sequelize.query(
      'CREATE TABLE broker_offsets (consumer_group TEXT PRIMARY KEY, position INTEGER NOT NULL)',
    );
    await sequelize.query(
      'CREATE TABLE dead_letters (id INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL, dead_lettered_at TEXT NOT NULL)',
    );
  },
};

/**
 * The two streams a consumer group can follow: the broker's events, and the dead letters (what a KafkaSource on the
 * dead-letter topic reads on the cluster).
 */
export type Stream = 'events' | 'dead-letters';

/** Each stream's table and its position column (both 1, 2, 3… in append order). */
const TABLES: Record<Stream, { readonly table: string; readonly position: string }> = {
  events: { table: 'broker_events', position: 'position' },
  'dead-letters': { table: 'dead_letters', position: 'id' },
};

/** The tables behind the embedded broker log. */
export interface EmbeddedStore {
  append(events: readonly CloudEvent<unknown>[]): Promise<void>;
  /** Up to `limit` events of `stream` after position `after`, in order. */
  read(stream: Stream, after: number, limit: number): Promise<StoredEvent[]>;
  /** The group's committed position in `stream`; a new group is placed at the stream's end first. */
  position(stream: Stream, group: string): Promise<number>;
  commit(group: string, position: number): Promise<void>;
  keepDeadLetter(event: CloudEvent<unknown>): Promise<void>;
  deadLetters(): Promise<{ event: CloudEvent<unknown>; at: Date }[]>;
  close(): Promise<void>;
}

/** Opens (and creates) the SQLite file behind the embedded broker log: `<dir>/broker.sqlite`. */
export async function openEmbeddedStore(dir: string): Promise<EmbeddedStore> {
  await mkdir(dir, { recursive: true });
  const sequelize = await createSequelize(
    { dialect: 'sqlite', storage: join(dir, 'broker.sqlite') },
    { max: 1 },
  );
  await migrate(sequelize, [schema]);
  const select = <Row extends object>(sql: string, replacements: unknown[] = []) =>
    sequelize.query<Row>(sql, { type: QueryTypes.SELECT, replacements });
  return {
    async append(events) {
      if (events.length === 0) return;
      // One statement: the batch is appended entirely or not at all.
      const values = events.map(() => '(?)').join(', ');
      await sequelize.query(`INSERT INTO broker_events (event) VALUES ${values}`, {
        replacements: events.map((event) => JSON.stringify(event)),
      });
    },
    async read(stream, after, limit) {
      const { table, position } = TABLES[stream];
      const rows = await select<{ position: number; event: string }>(
        `SELECT ${position} AS position, event FROM ${table} WHERE ${position} > ? ORDER BY ${position} LIMIT ?`,
        [after, limit],
      );
      return rows.map((row) => ({ position: row.position, event: parseStructured(row.event) }));
    },
    async position(stream, group) {
      const { table, position } = TABLES[stream];
      await sequelize.query(
        `INSERT OR IGNORE INTO broker_offsets (consumer_group, position)
         SELECT ?, COALESCE(MAX(${position}), 0) FROM ${table}`,
        { replacements: [group] },
      );
      const [row] = await select<{ position: number }>(
        'SELECT position FROM broker_offsets WHERE consumer_group = ?',
        [group],
      );
      return row?.position ?? 0;
    },
    async commit(group, position) {
      await sequelize.query('UPDATE broker_offsets SET position = ? WHERE consumer_group = ?', {
        replacements: [position, group],
      });
    },
    async keepDeadLetter(event) {
      await sequelize.query('INSERT INTO dead_letters (event, dead_lettered_at) VALUES (?, ?)', {
        replacements: [JSON.stringify(event), new Date().toISOString()],
      });
    },
    async deadLetters() {
      const rows = await select<{ event: string; dead_lettered_at: string }>(
        'SELECT event, dead_lettered_at FROM dead_letters ORDER BY id',
      );
      return rows.map((row) => ({ event: parseStructured(row.event), at: new Date(row.dead_lettered_at) }));
    },
    close: () => sequelize.close(),
  };
}

function parseStructured(text: string): CloudEvent<unknown> {
  const headers = { 'content-type': 'application/cloudevents+json' };
  return HTTP.toEvent<unknown>({ headers, body: text }) as CloudEvent<unknown>;
}
