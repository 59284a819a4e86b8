// Register, login and an authenticated read (GET /v1/users/me: the token check, the session check, one user read)
// against real MariaDB, each function running from its bundle in its own process as on the cluster. Prints median
// and p99 per operation, sequential and with concurrent clients.
// Run: npm run build && npx tsx bench/user-latency.ts [requests=200] [concurrency=4] [--dist <dir>]
// (--dist: the bundles of an earlier build, to compare before and after a change on the same machine)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { eventsTopic } from './support/events-topic';

const { values: options, positionals } = parseArgs({
  options: { dist: { type: 'string' } },
  allowPositionals: true,
});
const requests = Number(positionals[0] ?? 200);
const concurrency = Number(positionals[1] ?? 4);
const root = path.resolve(__dirname, '..');
const dist = path.resolve(options.dist ?? path.join(root, 'dist'));
const database = `bench_user_${randomUUID().slice(0, 8)}`;
const env = {
  ...process.env,
  MYSQL_DATABASE: database,
  EVENTS_TOPIC: `bench-events-${randomUUID().slice(0, 8)}`,
  LOG_LEVEL: 'warn',
};

function start(fn: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(dist, fn, 'index.js')], {
    env: { ...env, PORT: String(port) },
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = () => {
      fetch(`http://127.0.0.1:${port}/health-probe`).then(
        () => {
          resolve(child);
        },
        () => {
          if (Date.now() > deadline) reject(new Error(`${fn} did not start`));
          else setTimeout(poll, 50);
        },
      );
    };
    poll();
  });
}

async function timed(send: () => Promise<Response>, expected: number): Promise<number> {
  const started = performance.now();
  const response = await send();
  await response.arrayBuffer();
  if (response.status !== expected) throw new Error(`expected ${expected}, got ${response.status}`);
  return performance.now() - started;
}

async function run(label: string, count: number, parallel: number, op: (i: number) => Promise<number>) {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) samples.push(await op(next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    (samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0).toFixed(1);
  console.log(
    `${label.padEnd(38)} n=${String(count).padStart(4)}  median ${at(0.5).padStart(6)} ms  p99 ${at(0.99).padStart(6)} ms  ${(count / seconds).toFixed(0).padStart(4)} req/s`,
  );
}

async function main(): Promise<void> {
  const deleteTopic = await eventsTopic(env.EVENTS_TOPIC);
  const register = await start('register', 18101);
  const login = await start('login', 18102);
  const userQuery = await start('user-query', 18103);
  const json = { 'content-type': 'application/json' };
  const password = 'benchmark password 1';
  const emails: string[] = [];
  const registerOne = (i: number) => {
    const email = `bench-${i}-${randomUUID().slice(0, 6)}@example.com`;
    emails.push(email);
    const body = JSON.stringify({ email, password, name: 'Bench' });
    return timed(
      () => fetch('http://127.0.0.1:18101/v1/auth/register', { method: 'POST', headers: json, body }),
      201,
    );
  };
  const loginOne = (i: number) => {
    const body = JSON.stringify({ email: emails[i % emails.length], password });
    return timed(
      () => fetch('http://127.0.0.1:18102/v1/auth/login', { method: 'POST', headers: json, body }),
      200,
    );
  };
  // The two refusals must not tell an unknown e-mail from a wrong password by their time.
  const refusedLogin = (email: (i: number) => string) => (i: number) => {
    const body = JSON.stringify({ email: email(i), password: 'not the password 1' });
    return timed(
      () => fetch('http://127.0.0.1:18102/v1/auth/login', { method: 'POST', headers: json, body }),
      401,
    );
  };
  try {
    await registerOne(-1); // first request: migrations, admin, pools, Kafka producer
    await loginOne(0);
    await run('register, 1 client', requests, 1, registerOne);
    await run(`register, ${concurrency} clients`, requests, concurrency, (i) => registerOne(requests + i));
    await run('login, 1 client', requests, 1, loginOne);
    await run(`login, ${concurrency} clients`, requests, concurrency, loginOne);
    const signedIn = (await (
      await fetch('http://127.0.0.1:18102/v1/auth/login', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: emails[0], password }),
      })
    ).json()) as { accessToken: string };
    const meOne = () =>
      timed(
        () =>
          fetch('http://127.0.0.1:18103/v1/users/me', {
            headers: { authorization: `Bearer ${signedIn.accessToken}` },
          }),
        200,
      );
    await meOne(); // the user-query instance's first request: pool, migrations check
    await run('GET /v1/users/me, 1 client', requests, 1, meOne);
    await run(`GET /v1/users/me, ${concurrency} clients`, requests, concurrency, meOne);
    const known = (i: number) => emails[i % emails.length] ?? '';
    await run('login 401, wrong password, 1 client', requests, 1, refusedLogin(known));
    await run(
      'login 401, unknown e-mail, 1 client',
      requests,
      1,
      refusedLogin((i) => `nobody-${i}@example.com`),
    );
  } finally {
    register.kill('SIGTERM');
    login.kill('SIGTERM');
    userQuery.kill('SIGTERM');
    const connection = await createConnection({ host: '127.0.0.1', user: 'root' });
    await connection.query(`DROP DATABASE IF EXISTS ${database}`);
    await connection.end();
    await deleteTopic();
  }
}

void main();
