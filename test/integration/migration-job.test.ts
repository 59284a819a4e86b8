// Migrations before traffic, under their own database user (issue 14, item 8), on the real MariaDB and Cassandra:
// the migration program (the bundle its Job runs) migrates a fresh database under a user that may change the
// schema; the service's functions, with SCHEMA_MIGRATIONS=job, serve under a user that may only read and write rows
// (the grants docs/deploy.md tells operators to make); and a function whose Job has not run answers 503 and runs no
// DDL. Databases, keyspaces and users are this run's own (random names), dropped at the end.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { createConnection } from 'mysql2/promise';
import { buildMigrationProgram, migrationPrograms } from '../../dev/build';
import { orderService } from '../../functions/order/service';
import { userService } from '../../functions/user/service';
import { CassandraEnv, MysqlEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import {
  cassandraClientOptions,
  createCassandraClient,
} from '../../shared/cassandra/create-cassandra-client';
import { checkServiceKeyspace } from '../../shared/kit/cassandra-histories';
import { SchemaNotMigrated } from '../../shared/kit/schema-not-migrated';
import { sqlMigrationsOf } from '../../shared/kit/service-schema';
import { createLogger } from '../../shared/log/logger';
import { startFunctions } from '../support/functions';
import { connectTo, dropDatabase } from '../support/sql-fixture';
import { ADMIN, startUserService } from '../support/user-service';
import { uniqueName } from '../support/unique-name';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const dist = path.join(root, 'dist');
const mysql = loadConfig(MysqlEnv);

const secret = () => randomBytes(12).toString('hex');
const suffix = randomBytes(5).toString('hex');
const database = {
  migrated: `test_migjob_${suffix}`,
  empty: `test_migjob_empty_${suffix}`,
  absent: `test_migjob_absent_${suffix}`,
  order: `test_migjob_order_${suffix}`,
};
const keyspace = uniqueName('test_migjob');
/** The migrating user: every privilege on the service's database, nothing else (docs/deploy.md). */
const migrator = { user: `mig_${suffix}`, password: secret() };
/** The functions' user: rows only (docs/deploy.md). */
const rows = { user: `rows_${suffix}`, password: secret() };

test.before(async () => {
  const connection = await connectTo();
  try {
    for (const { user, password } of [migrator, rows])
      await connection.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
    await connection.query(`GRANT ALL PRIVILEGES ON \`${database.migrated}\`.* TO ?@?`, [migrator.user, '%']);
    for (const name of [database.migrated, database.empty, database.absent])
      await connection.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${name}\`.* TO ?@?`, [
        rows.user,
        '%',
      ]);
  } finally {
    await connection.end();
  }
  const programs = migrationPrograms().filter((program) => ['user', 'order'].includes(program.service));
  await Promise.all(programs.map((program) => buildMigrationProgram(program, dist)));
});

test.after.always(async () => {
  for (const name of Object.values(database)) await dropDatabase(name);
  const connection = await connectTo();
  for (const { user } of [migrator, rows]) await connection.query('DROP USER IF EXISTS ?@?', [user, '%']);
  await connection.end();
  const client = createCassandraClient(cassandraClientOptions(loadConfig(CassandraEnv)));
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
});

interface LogLine {
  level: string;
  msg: string;
  store?: string;
  name?: string;
  applied?: string[];
}

/** Runs a service's migration program as its Job does (`node index.js`), with `env` over this process's. */
async function migrationJob(
  service: string,
  env: Readonly<Record<string, string>>,
): Promise<{ code: number; lines: LogLine[] }> {
  const settings = { ...process.env, LOG_LEVEL: 'info', ...env };
  const result = await run(process.execPath, [path.join(dist, `${service}-migrate`, 'index.js')], {
    env: settings,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: unknown) => {
      const failed = error as { code?: number; stdout?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '' };
    },
  );
  const lines = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);
  return { code: result.code, lines };
}

async function tablesOf(name: string): Promise<string[]> {
  const connection = await connectTo();
  try {
    const [found] = await connection.query(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
      [name],
    );
    return (found as { name: string }[]).map((row) => row.name);
  } finally {
    await connection.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const connection = await connectTo();
  try {
    const [found] = await connection.query(
      'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [name],
    );
    return (found as unknown[]).length === 1;
  } finally {
    await connection.end();
  }
}

test.serial(
  'the migration program creates and migrates a fresh database under the migrating user',
  async (t) => {
    t.false(await databaseExists(database.migrated));
    const asMigrator = {
      MYSQL_USER: migrator.user,
      MYSQL_PASSWORD: migrator.password,
      MYSQL_DATABASE: database.migrated,
    };
    const first = await migrationJob('user', asMigrator);
    t.is(first.code, 0, JSON.stringify(first.lines));
    const expected = sqlMigrationsOf(userService)
      .map((migration) => migration.name)
      .sort((a, b) => a.localeCompare(b));
    t.like(
      first.lines.find((line) => line.store === 'database'),
      {
        level: 'info',
        name: database.migrated,
        applied: expected,
      },
    );
    t.true((await tablesOf(database.migrated)).includes('schema_migrations'));

    const again = await migrationJob('user', asMigrator);
    t.is(again.code, 0);
    t.like(
      again.lines.find((line) => line.store === 'database'),
      { applied: [], msg: `database ${database.migrated}: up to date` },
    );
  },
);

test.serial('the row-only user may read and write rows but not change the schema', async (t) => {
  const connection = await createConnection({
    host: mysql.MYSQL_HOST,
    port: mysql.MYSQL_PORT,
    user: rows.user,
    password: rows.password,
    database: database.migrated,
  });
  t.teardown(() => connection.end());
  await t.notThrowsAsync(connection.query('SELECT COUNT(*) FROM schema_migrations'));
  for (const ddl of [
    'CREATE TABLE intruder (id INT PRIMARY KEY)',
    'ALTER TABLE schema_migrations ADD COLUMN intruder INT',
    'DROP TABLE schema_migrations',
    'TRUNCATE TABLE schema_migrations',
    'CREATE INDEX intruder ON schema_migrations (name)',
    `CREATE DATABASE \`${database.migrated}_other\``,
  ]) {
    const error = await t.throwsAsync(connection.query(ddl), undefined, ddl);
    t.regex(error.message, /denied/i, ddl);
  }
});

test.serial(
  'a function with SCHEMA_MIGRATIONS=job serves real requests under the row-only user',
  async (t) => {
    const api = await startUserService({
      MYSQL_DATABASE: database.migrated,
      MYSQL_USER: rows.user,
      MYSQL_PASSWORD: rows.password,
      SCHEMA_MIGRATIONS: 'job',
    });
    // Drops the database and the events topic it made.
    t.teardown(() => api.close());
    const body = { email: `ada-${suffix}@example.com`, password: 'correct horse battery', name: 'Ada' };
    const registered = await api.call('POST', '/v1/auth/register', { body });
    t.is(registered.status, 201, await registered.clone().text());
    const login = await api.call('POST', '/v1/auth/login', {
      body: { email: body.email, password: body.password },
    });
    t.is(login.status, 200, await login.clone().text());
    t.truthy(((await login.json()) as { accessToken?: string }).accessToken);
    // The configured admin's first login writes its account (an upsert): rows only, too.
    const admin = await api.call('POST', '/v1/auth/login', { body: ADMIN });
    t.is(admin.status, 200, await admin.clone().text());
  },
);

for (const [state, name, prepare] of [
  ['an empty database', database.empty, true],
  ['no database at all', database.absent, false],
] as const) {
  test.serial(
    `a function with SCHEMA_MIGRATIONS=job on ${state} answers 503, says the Job has not run, runs no DDL`,
    async (t) => {
      if (prepare) {
        const connection = await connectTo();
        await connection.query(`CREATE DATABASE \`${name}\``);
        await connection.end();
      }
      const logged: LogLine[] = [];
      const logger = createLogger('migration-job-test', {
        level: 'error',
        write: (line) => logged.push(JSON.parse(line) as LogLine),
      });
      // As root, who could create everything: in job mode the function must not try.
      const running = await startFunctions({
        names: ['register'],
        env: { MYSQL_DATABASE: name, SCHEMA_MIGRATIONS: 'job', ADMIN_EMAIL: ADMIN.email },
        logger,
      });
      t.teardown(() => running.close());
      const body = { email: `grace-${suffix}@example.com`, password: 'correct horse battery', name: 'Grace' };
      for (const attempt of [1, 2]) {
        const response = await running.call('POST', '/v1/auth/register', { body });
        t.is(response.status, 503, `attempt ${String(attempt)}`);
        t.like(await response.json(), { code: 'SERVICE.UNAVAILABLE' });
      }
      const said = logged.filter((line) => line.msg.includes('the migration Job user-migrate has not run'));
      t.is(said.length, 2, JSON.stringify(logged));
      t.is(await databaseExists(name), prepare);
      t.deepEqual(await tablesOf(name), []);
    },
  );
}

test.serial(
  "the order program migrates the service's keyspace too; a job-mode check of a missing one creates nothing",
  async (t) => {
    const client = createCassandraClient(cassandraClientOptions(loadConfig(CassandraEnv)));
    t.teardown(() => client.shutdown());
    const keyspaceExists = async () =>
      (
        await client.execute(
          'SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?',
          [keyspace],
          {
            prepare: true,
          },
        )
      ).rowLength === 1;

    const missing = await t.throwsAsync(checkServiceKeyspace(orderService, { client, name: keyspace }));
    t.true(missing instanceof SchemaNotMigrated);
    t.regex(missing.message, /order-migrate has not run/);
    t.false(await keyspaceExists(), 'the check created nothing');

    const job = await migrationJob('order', {
      MYSQL_DATABASE: database.order,
      HISTORY_BACKEND: 'cassandra',
      CASSANDRA_KEYSPACE: keyspace,
    });
    t.is(job.code, 0, JSON.stringify(job.lines));
    const applied = job.lines.find((line) => line.store === 'keyspace');
    t.is(applied?.name, keyspace);
    t.true((applied?.applied?.length ?? 0) > 0);
    await t.notThrowsAsync(checkServiceKeyspace(orderService, { client, name: keyspace }));
  },
);

test.serial('the migration program fails loudly: a bad setting, an unreachable server', async (t) => {
  const bad = await migrationJob('user', { MYSQL_PORT: 'not-a-port', MYSQL_DATABASE: database.absent });
  t.is(bad.code, 1);
  t.regex(bad.lines.at(-1)?.msg ?? '', /MYSQL_PORT/);
  const down = await migrationJob('user', { MYSQL_PORT: '1', MYSQL_DATABASE: database.absent });
  t.is(down.code, 1);
  t.regex(down.lines.at(-1)?.msg ?? '', /migrating the user service failed: .*ECONNREFUSED/);
});
