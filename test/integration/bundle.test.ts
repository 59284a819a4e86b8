import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { createConnection } from 'mysql2/promise';
import { MysqlEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import type { SqlTarget } from '../../shared/sql/sql-target';
import { bundle } from '../../dev/bundle';
import { writeCodeCache, writeLoader } from '../../dev/function-loader';
import { uniqueName } from '../support/unique-name';

const run = promisify(execFile);
// Under the project, so the externals (sqlite3) resolve from node_modules as they do beside a deployed bundle.
const scratch = path.resolve(__dirname, '../../.data/test-bundles');

test('a function bundle runs sequelize, migrations and the outbox on MySQL and on SQLite', async (t) => {
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(path.join(scratch, 'bundle-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const { outfile, bytes } = await bundle(
    path.resolve(__dirname, '../fixtures/bundle-entry.ts'),
    path.join(dir, 'index.js'),
  );
  t.true(bytes > 0);

  const mysql = loadConfig(MysqlEnv);
  const database = uniqueName('test_bundle');
  const targets: SqlTarget[] = [
    { dialect: 'sqlite', storage: path.join(dir, 'db.sqlite') },
    {
      dialect: 'mysql',
      host: mysql.MYSQL_HOST,
      port: mysql.MYSQL_PORT,
      user: mysql.MYSQL_USER,
      password: mysql.MYSQL_PASSWORD,
      database,
    },
  ];
  for (const target of targets) {
    const { stdout } = await run(process.execPath, [outfile, JSON.stringify(target)], { timeout: 30_000 });
    t.like(JSON.parse(stdout), { ok: true }, target.dialect);
  }
  const connection = await createConnection({
    host: mysql.MYSQL_HOST,
    port: mysql.MYSQL_PORT,
    user: mysql.MYSQL_USER,
    password: mysql.MYSQL_PASSWORD,
  });
  await connection.query(`DROP DATABASE ${database}`);
  await connection.end();
});

test("the function loader runs a bundle with V8's code cache, made by running it once", async (t) => {
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(path.join(scratch, 'loader-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  await bundle(path.resolve(__dirname, '../fixtures/bundle-entry.ts'), path.join(dir, 'function.js'));
  writeLoader(dir);
  const target = JSON.stringify({ dialect: 'sqlite', storage: path.join(dir, 'db.sqlite') });
  const loader = path.join(dir, 'index.js');
  const env = { ...process.env, ECOM_CODE_CACHE_REPORT: '1' };

  const first = await run(process.execPath, [loader, target], {
    env: { ...env, ECOM_WRITE_CODE_CACHE: '1' },
  });
  t.is(first.stderr, 'code cache: absent\n');
  t.like(JSON.parse(first.stdout), { ok: true });
  const second = await run(process.execPath, [loader, target], { env });
  t.is(second.stderr, 'code cache: used\n');
  t.like(JSON.parse(second.stdout), { ok: true });
});

test("writing a function's code cache rehearses its first request against closed ports, never a real service", async (t) => {
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(path.join(scratch, 'rehearsal-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  // The outbox relay's first request opens its database, creating it when missing: a leak would show there.
  const entry = path.resolve(__dirname, '../../functions/user/user-outbox-relay/index.ts');
  await bundle(entry, path.join(dir, 'function.js'));
  writeLoader(dir);
  const database = uniqueName('test_rehearsal');
  await writeCodeCache(dir, { ...process.env, DB_DIALECT: 'mysql', MYSQL_DATABASE: database });

  const mysql = loadConfig(MysqlEnv);
  const connection = await createConnection({
    host: mysql.MYSQL_HOST,
    port: mysql.MYSQL_PORT,
    user: mysql.MYSQL_USER,
    password: mysql.MYSQL_PASSWORD,
  });
  const [rows] = await connection.query('SHOW DATABASES LIKE ?', [database]);
  await connection.end();
  t.deepEqual(rows, [], 'the rehearsal did not reach the configured MySQL');
  t.true(statSync(path.join(dir, 'function.js.cache')).size > 0);
});
