import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { credentials, status } from '@grpc/grpc-js';
import test, { type ExecutionContext } from 'ava';
import { MysqlEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import type { SqlTarget } from '../../shared/sql/sql-target';
import { buildFunction, functionFolders } from '../../dev/build';
import { bundle, functionEntry } from '../../dev/bundle';
import { HEALTH_PROTO, HEALTH_SERVICE_NAME } from '../../shared/grpc/health-service';
import { loadProto } from '../../shared/grpc/load-proto';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import { callUnary } from '../fixtures/grpc/call-unary';
import { createTopic, deleteTopics, readRecords, testKafka } from '../support/kafka-fixture';
import { connectTo, dropDatabase } from '../support/sql-fixture';
import { writeCodeCache, writeLoader } from '../../dev/function-loader';
import { uniqueName } from '../support/unique-name';

const run = promisify(execFile);
// Under the project, so the externals (sqlite3) resolve from node_modules as they do beside a deployed bundle.
const root = path.resolve(__dirname, '../..');
const scratch = path.join(root, '.data/test-bundles');

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
  await dropDatabase(database);
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
  // The first run only writes the cache: it may exit before the stand-in's work ends (the loader gives a function
  // that does not rehearse 1.5 s), as on a loaded machine; the second run must do all of it.
  t.is(first.stderr, 'code cache: absent\ncode cache: written after the start\n');
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
  const index = path.resolve(__dirname, '../../functions/user/user-outbox-relay/index.ts');
  await bundle(functionEntry(root, index, 'user-outbox-relay'), path.join(dir, 'function.js'));
  writeLoader(dir);
  const database = uniqueName('test_rehearsal');
  const report = await writeCodeCache(dir, {
    ...process.env,
    DB_DIALECT: 'mysql',
    MYSQL_DATABASE: database,
    ECOM_CODE_CACHE_REPORT: '1',
  });
  t.regex(report, /code cache: written after the rehearsal/);

  const connection = await connectTo();
  const [rows] = await connection.query('SHOW DATABASES LIKE ?', [database]);
  await connection.end();
  t.deepEqual(rows, [], 'the rehearsal did not reach the configured MySQL');
  t.true(statSync(path.join(dir, 'function.js.cache')).size > 0);
});

/** A function built as `npm run build` builds it, then copied out of the tree with only what its image installs. */
async function image(t: ExecutionContext, name: string): Promise<string> {
  mkdirSync(scratch, { recursive: true });
  const dist = mkdtempSync(path.join(scratch, 'dist-'));
  const out = mkdtempSync(path.join(tmpdir(), `image-${name}-`));
  t.teardown(() => {
    rmSync(dist, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });
  const folder = functionFolders().find((candidate) => candidate.name === name);
  if (!folder) throw new Error(`no function ${name}`);
  await buildFunction(folder, dist);
  cpSync(path.join(dist, name), out, { recursive: true });
  // What the Dockerfile runs in the function's folder: nothing else is there, no node_modules above it.
  await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-package-lock'], {
    cwd: out,
    timeout: 120_000,
  });
  return out;
}

function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/"msg":"(listening|gRPC server listening)"/.test(output)) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`exited with ${String(code)} before listening:\n${output}`));
    });
  });
}

test('register, out of the tree with only its image: its native module, pure ASCII, no sqlite3, and it serves', async (t) => {
  const dir = await image(t, 'register');
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string }>;
  };
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  t.deepEqual(manifest.dependencies, {
    '@node-rs/argon2': lock.packages['node_modules/@node-rs/argon2']?.version,
  });
  t.notRegex(readFileSync(path.join(dir, 'function.js'), 'latin1'), /[\u0080-\uffff]/, 'pure ASCII');
  t.false(existsSync(path.join(dir, 'node_modules', 'sqlite3')), 'the embedded-only driver stays out');

  const database = uniqueName('test_image');
  const topic = await createTopic(testKafka(), 'image');
  t.teardown(async () => {
    await dropDatabase(database);
    await deleteTopics(testKafka(), [topic]);
  });
  const port = 19_500 + Math.floor(Math.random() * 400);
  const child = spawn(process.execPath, ['index.js'], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), MYSQL_DATABASE: database, EVENTS_TOPIC: topic, NODE_PATH: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  await listening(child);
  const response = await fetch(`http://127.0.0.1:${port}/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${database}@example.com`, password: 'an image password', name: 'Image' }),
  });
  t.is(response.status, 201);
  const records = await readRecords(testKafka(), topic, 1);
  t.like(fromKafkaRecord(records[0] ?? { key: null, value: null }), { type: 'com.ecom.user.registered' });
});

test('user-grpc, out of the tree with only its image: its protos beside it, and it answers the health check', async (t) => {
  const dir = await image(t, 'user-grpc');
  t.deepEqual(
    (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies: object })
      .dependencies,
    {},
  );
  t.true(existsSync(path.join(dir, 'proto', 'user.proto')));
  t.false(existsSync(path.join(dir, 'proto', 'generated')), 'the generated TypeScript types stay out');
  const port = 19_900 + Math.floor(Math.random() * 90);
  const child = spawn(process.execPath, ['index.js'], {
    cwd: dir,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  await listening(child);
  const Health = (await loadProto(HEALTH_PROTO)).client(HEALTH_SERVICE_NAME);
  const client = new Health(`127.0.0.1:${port}`, credentials.createInsecure());
  t.teardown(() => {
    client.close();
  });
  t.like(await callUnary(client, Health, 'Check', { service: '' }), {
    code: status.OK,
    response: { status: 'SERVING' },
  });
});
