import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import type { Sequelize } from 'sequelize';
import { MysqlEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { createSequelize, ensureDatabase, type PoolOptions } from '../../shared/sql/create-sequelize';
import type { SqlTarget } from '../../shared/sql/sql-target';
import { uniqueName } from './unique-name';

/** A fresh, empty database for one test file, on real MariaDB or on an SQLite file. */
export interface SqlFixture {
  readonly dialect: SqlTarget['dialect'];
  readonly target: SqlTarget;
  readonly sequelize: Sequelize;
  /** Another Sequelize instance on the same database, as a second function instance would have. */
  connectAgain(pool?: PoolOptions): Promise<Sequelize>;
  /** Closes every connection this fixture opened and deletes the database. */
  drop(): Promise<void>;
}

export type Dialect = SqlTarget['dialect'];
export const DIALECTS: readonly Dialect[] = ['mysql', 'sqlite'];

export async function sqlFixture(dialect: Dialect, prefix: string): Promise<SqlFixture> {
  const opened: Sequelize[] = [];
  const open = async (target: SqlTarget, pool: PoolOptions = { max: 10 }) => {
    const sequelize = await createSequelize(target, pool);
    opened.push(sequelize);
    return sequelize;
  };
  const closeAll = () => Promise.all(opened.map((s) => s.close()));

  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    const target: SqlTarget = { dialect, storage: join(dir, 'db.sqlite') };
    return {
      dialect,
      target,
      sequelize: await open(target),
      connectAgain: (pool) => open(target, pool),
      async drop() {
        await closeAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const env = loadConfig(MysqlEnv);
  const target: SqlTarget = {
    dialect,
    host: env.MYSQL_HOST,
    port: env.MYSQL_PORT,
    user: env.MYSQL_USER,
    password: env.MYSQL_PASSWORD,
    database: uniqueName(prefix),
  };
  await ensureDatabase(target);
  const sequelize = await open(target);
  return {
    dialect,
    target,
    sequelize,
    connectAgain: (pool) => open(target, pool),
    async drop() {
      await sequelize.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
      await closeAll();
    },
  };
}

/**
 * A plain mysql2 connection to the MariaDB of the tests (to `database` when given), for what a test does beside the
 * product: hold a lock, look at the process list, change a row behind the product's back.
 */
export function connectTo(database?: string): Promise<Connection> {
  const mysql = loadConfig(MysqlEnv);
  return createConnection({
    host: mysql.MYSQL_HOST,
    port: mysql.MYSQL_PORT,
    user: mysql.MYSQL_USER,
    password: mysql.MYSQL_PASSWORD,
    ...(database === undefined ? {} : { database }),
  });
}

/** Drops a test's database on the MariaDB of the tests (a function under test created it on first use). */
export async function dropDatabase(database: string): Promise<void> {
  const connection = await connectTo();
  await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await connection.end();
}
