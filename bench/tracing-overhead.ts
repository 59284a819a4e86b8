// What tracing costs a warm request: the same function started twice from its bundle, on the same MariaDB, once with
// tracing off and once on (exporting to the local Zipkin), and each request sent to one and then the other, so both
// see the same machine at the same moment (a shared VM's drift is larger than the difference measured). Tracing on
// is measured twice: every request sampled (as the local stack does), and 10% sampled (as the cluster's ConfigMaps
// and Kong's plugin do: TRACE_SAMPLING_RATIO), and 10% with metrics on too, as the cluster runs. Prints median and
// p99 per variant, and the cost against off.
// Needs `npm run build` and `npm run infra:up` (MariaDB, Kafka, Zipkin).
// Run: npx tsx bench/tracing-overhead.ts [requests=400]   (with `npm run node24 --` in front for the images' Node)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { infraEnv } from '../dev/infra/infra-env';
import { eventsTopic } from './support/events-topic';

const requests = Number(process.argv[2] ?? 400);
const dist = path.resolve(__dirname, '..', 'dist');
const database = `bench_trace_${randomUUID().slice(0, 8)}`;
const base = {
  ...process.env,
  MYSQL_DATABASE: database,
  EVENTS_TOPIC: `bench-events-${randomUUID().slice(0, 8)}`,
  LOG_LEVEL: 'warn',
  OTEL_METRICS_EXPORTER: 'none',
};
const METRICS_SINK_PORT = 18_399;
const zipkin = {
  OTEL_TRACES_EXPORTER: 'zipkin',
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: infraEnv.zipkin.spansEndpoint,
};
const VARIANTS = {
  off: { OTEL_TRACES_EXPORTER: 'none' },
  'on, all sampled': { ...zipkin, OTEL_TRACES_SAMPLER: 'always_on' },
  'on, 10% sampled': {
    ...zipkin,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.1',
  },
  // What the cluster's ConfigMaps set: traces sampled at 10%, and metrics every 15 s (to a sink the bench runs).
  '10% + metrics': {
    ...zipkin,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.1',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `http://127.0.0.1:${String(METRICS_SINK_PORT)}/v1/metrics`,
    OTEL_METRIC_EXPORT_INTERVAL: '15000',
  },
} as const;
type Variant = keyof typeof VARIANTS;
const variants = Object.keys(VARIANTS) as Variant[];

let nextPort = 18_300;
const children: ChildProcess[] = [];

/** Starts a function from its bundle; answers its base URL once it listens. */
async function start(fn: string, env: NodeJS.ProcessEnv): Promise<string> {
  const port = nextPort++;
  const child = spawn(process.execPath, [path.join(dist, fn, 'index.js')], {
    env: { ...base, ...env, PORT: String(port) },
    stdio: 'inherit',
  });
  children.push(child);
  const url = `http://127.0.0.1:${String(port)}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await fetch(`${url}/health-probe`);
      return url;
    } catch {
      if (Date.now() > deadline) throw new Error(`${fn} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function timed(send: () => Promise<Response>, expected: number): Promise<number> {
  const started = performance.now();
  const response = await send();
  await response.arrayBuffer();
  if (response.status !== expected)
    throw new Error(`expected ${String(expected)}, got ${String(response.status)}`);
  return performance.now() - started;
}

/** `count` rounds; in each, one request to every variant, in turn (the order rotating), one client. */
async function interleaved(
  label: string,
  count: number,
  send: (variant: Variant, i: number) => Promise<number>,
) {
  const samples = new Map<Variant, number[]>(variants.map((variant) => [variant, []]));
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(i + k) % variants.length] as Variant;
      samples.get(variant)?.push(await send(variant, i));
    }
  }
  const at = (sorted: readonly number[], q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const off = [...(samples.get('off') ?? [])].sort((a, b) => a - b);
  for (const variant of variants) {
    const sorted = [...(samples.get(variant) ?? [])].sort((a, b) => a - b);
    const cost =
      variant === 'off'
        ? ''
        : `  (${(((at(sorted, 0.5) - at(off, 0.5)) / at(off, 0.5)) * 100).toFixed(0)}% p50)`;
    console.log(
      `${`${label}, ${variant}`.padEnd(38)} n=${String(count).padStart(4)}  median ${at(sorted, 0.5).toFixed(1).padStart(6)} ms  p99 ${at(sorted, 0.99).toFixed(1).padStart(6)} ms${cost}`,
    );
  }
}

async function main(): Promise<void> {
  const deleteTopic = await eventsTopic(base.EVENTS_TOPIC);
  // A collector's OTLP endpoint that takes the metrics and drops them.
  const sink = createServer((req, res) => {
    req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => sink.listen(METRICS_SINK_PORT, '127.0.0.1', resolve));
  try {
    const register = await start('register', VARIANTS.off);
    const login = new Map<Variant, string>();
    const userQuery = new Map<Variant, string>();
    for (const variant of variants) {
      login.set(variant, await start('login', VARIANTS[variant]));
      userQuery.set(variant, await start('user-query', VARIANTS[variant]));
    }
    const json = { 'content-type': 'application/json' };
    const password = 'benchmark password 1';
    const emails: string[] = [];
    for (let i = 0; i < 20; i++) {
      const email = `bench-${String(i)}-${randomUUID().slice(0, 6)}@example.com`;
      emails.push(email);
      await timed(
        () =>
          fetch(`${register}/v1/auth/register`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ email, password, name: 'Bench' }),
          }),
        201,
      );
    }
    const loginAt = (variant: Variant, i: number) =>
      fetch(`${login.get(variant) ?? ''}/v1/auth/login`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: emails[i % emails.length], password }),
      });
    const tokens = new Map<Variant, string>();
    for (const variant of variants) {
      // Each instance's first request (pools, schema check) is not a warm one.
      const signedIn = (await (await loginAt(variant, 0)).json()) as { accessToken: string };
      tokens.set(variant, signedIn.accessToken);
      await fetch(`${userQuery.get(variant) ?? ''}/v1/users/me`, {
        headers: { authorization: `Bearer ${signedIn.accessToken}` },
      });
    }
    await interleaved('login', requests, (variant, i) => timed(() => loginAt(variant, i), 200));
    await interleaved('GET /v1/users/me', requests, (variant) =>
      timed(
        () =>
          fetch(`${userQuery.get(variant) ?? ''}/v1/users/me`, {
            headers: { authorization: `Bearer ${tokens.get(variant) ?? ''}` },
          }),
        200,
      ),
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    sink.close();
    const connection = await createConnection({ host: '127.0.0.1', user: 'root' });
    await connection.query(`DROP DATABASE IF EXISTS ${database}`);
    await connection.end();
    await deleteTopic();
  }
}

void main();
