import { Sequelize, type Options } from 'sequelize';
import { onCodeCacheWarmUp } from '../runtime/code-cache-warm-up';
import { traceSqlStatements } from '../tracing/sql-statement-spans';
import { recordSessionIsolation, type IsolationLevel } from './session-isolation';
import type { SqlTarget } from './sql-target';

/** Connections a function instance's pool holds at most unless its declaration says otherwise. */
export const DEFAULT_POOL_SIZE = 5;

/** Pool sizing per function instance: Knative's containerConcurrency bounds how many requests share it. */
export interface PoolOptions {
  readonly max?: number;
  readonly idleMs?: number;
  /**
   * The level each connection starts at (REPEATABLE READ unless said): the one the function's transactions take, so
   * that they need no `SET TRANSACTION` round trip of their own. A transaction at another level still sends one.
   */
  readonly isolation?: IsolationLevel;
}

/**
 * Builds a Sequelize instance for a service database. The driver is loaded here, lazily, and handed to
 * sequelize as `dialectModule`: that keeps bundles free of the dialects we do not use and keeps the driver
 * off the cold-start path of code that never touches SQL. Each statement it sends is a span when traced.
 */
export async function createSequelize(target: SqlTarget, pool: PoolOptions = {}): Promise<Sequelize> {
  const sequelize = await untracedSequelize(target, pool);
  recordSessionIsolation(sequelize, pool.isolation ?? 'repeatable-read');
  traceSqlStatements(
    sequelize,
    target.dialect === 'mysql'
      ? { system: 'mariadb', namespace: target.database, host: target.host, port: target.port }
      : { system: 'sqlite' },
  );
  return sequelize;
}

async function untracedSequelize(target: SqlTarget, pool: PoolOptions): Promise<Sequelize> {
  const common: Options = {
    logging: false,
    pool: { max: pool.max ?? DEFAULT_POOL_SIZE, min: 0, idle: pool.idleMs ?? 10_000, acquire: 10_000 },
    define: { underscored: true, timestamps: false },
  };
  if (target.dialect === 'mysql') {
    const mysql2 = await import('mysql2');
    return new Sequelize({
      ...common,
      dialect: 'mysql',
      dialectModule: mysql2.default,
      host: target.host,
      port: target.port,
      username: target.user,
      password: target.password,
      database: target.database,
      // Keep DATETIME values in UTC whatever the server's zone is.
      timezone: '+00:00',
      dialectOptions: { dateStrings: false, supportBigNumbers: true, bigNumberStrings: false },
      hooks: {
        // Every connection starts at the pool's level (REPEATABLE READ unless said) whatever the server's default,
        // so a transaction at that level needs no statement of its own to set it: one round trip less per transaction.
        afterConnect: async (connection: unknown) => {
          await (connection as Mysql2Connection)
            .promise()
            .query(SESSION_ISOLATION[pool.isolation ?? 'repeatable-read']);
        },
      },
    });
  }
  return new Sequelize({
    ...common,
    dialect: 'sqlite',
    dialectModule: await sqliteDriver(),
    storage: target.storage,
  });
}

const SESSION_ISOLATION: Record<IsolationLevel, string> = {
  'repeatable-read': 'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ',
  'read-committed': 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
};

/** The part of mysql2's callback connection (what sequelize hands its hooks) used here. */
interface Mysql2Connection {
  promise(): { query(sql: string): Promise<unknown> };
}

const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * sqlite3 with the settings every connection needs. Sequelize opens a connection per transaction and offers no
 * hook for SQLite connections, so the driver's Database class applies them itself: busyTimeout makes a writer
 * wait for the lock (other transactions, other function processes in the local stack) instead of failing at once,
 * and WAL lets readers run beside the writer.
 */
async function sqliteDriver(): Promise<object> {
  const sqlite3 = (await import('sqlite3')).default;
  class Database extends sqlite3.Database {
    constructor(filename: string, mode: number, callback: (err: Error | null) => void) {
      super(filename, mode, (err) => {
        if (err) {
          callback(err);
          return;
        }
        this.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
        this.exec('PRAGMA journal_mode = WAL', callback);
      });
    }
  }
  return { ...sqlite3, Database };
}

/**
 * Creates the service's MySQL database when it does not exist (a database per service). SQLite creates its file
 * on first connection, so there is nothing to do for it.
 */
export async function ensureDatabase(target: SqlTarget): Promise<void> {
  if (target.dialect !== 'mysql') return;
  if (!/^[A-Za-z0-9_]+$/.test(target.database)) throw new Error(`Invalid database name: ${target.database}`);
  const mysql2 = await import('mysql2/promise');
  const connection = await mysql2.createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
  });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

// The code-cache rehearsal (shared/runtime/code-cache-warm-up.ts) opens MySQL as a first request does: loading
// the driver and the dialect, building the pool, connecting (refused: nothing listens on port 1).
onCodeCacheWarmUp(async () => {
  const target = {
    dialect: 'mysql',
    host: '127.0.0.1',
    port: 1,
    user: 'rehearsal',
    password: '',
    database: 'rehearsal',
  } as const;
  const sequelize = await createSequelize(target);
  await sequelize.query('SELECT 1').catch(() => undefined);
  await sequelize.close();
});
