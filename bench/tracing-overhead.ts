// What tracing costs a warm request: login, user-query and place-order each started once per variant from its
// bundle, on the same databases, tracing off or on (exporting to the local Zipkin). Each request goes to one variant
// and then the next, so all see the same machine at the same moment (a shared VM's drift is larger than the
// difference measured). Tracing on is measured every request sampled (as the local stack does), 10% sampled (as the
// cluster's ConfigMaps and Kong's plugin do: TRACE_SAMPLING_RATIO), and 10% with metrics on too, as the cluster runs.
// Prints median and p99 per variant, and the cost against off.
// Needs `npm run build` and `npm run infra:up` (MariaDB, Kafka, Zipkin).
// Run: npx tsx bench/tracing-overhead.ts [requests=400]   (with `npm run node24 --` in front for the images' Node)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { infraEnv } from '../dev/infra/infra-env';
import { freePort } from '../dev/local-stack/free-port';
import { startFunctionProcess, type FunctionProcess } from '../dev/local-stack/function-process';
import { eventsTopic } from './support/events-topic';
import { startBenchStack } from './support/load';
import { insertProducts } from './support/seed-products';

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

/**
 * place-order, one process per variant beside the local stack's (traced, each function following its caller's
 * sampling decision, as on the cluster), all pricing through the same product-grpc and writing the same database. A
 * request to the untraced instance carries an unsampled `traceparent`, so product-grpc records nothing for it either;
 * a traced instance samples by its own setting and product-grpc follows it.
 */
async function placeOrders(count: number): Promise<void> {
  const { stack, databases, stop } = await startBenchStack('bench_trace_po', {
    tracing: { zipkinSpansEndpoint: infraEnv.zipkin.spansEndpoint },
  });
  const extra: FunctionProcess[] = [];
  const mysql = await createConnection({ host: '127.0.0.1', user: 'root' });
  try {
    const stacked = stack.functions.find((fn) => fn.definition.name === 'place-order');
    const query = stack.functions.find((fn) => fn.definition.name === 'product-query');
    if (!stacked || !query) throw new Error('place-order or product-query is not running');
    await (await fetch(`${query.url}/v1/categories`)).arrayBuffer(); // opens and migrates the product database
    const productId = randomUUID();
    await insertProducts(mysql, databases.product, [
      {
        id: productId,
        sku: 'TRACE-PO',
        name: 'Traced kettle',
        description: 'A kettle.',
        price: 2500,
        categoryId: null,
      },
    ]);
    await mysql.query(
      `INSERT INTO ${databases.product}.inventory (product_id, on_hand, reserved, updated_at) VALUES (?, ?, 0, ?)`,
      [productId, 1_000_000, new Date()],
    );
    const gateway = stack.gateway;
    const json = { 'content-type': 'application/json' };
    const account = { email: `po-${randomUUID()}@bench.local`, password: 'place order bench password' };
    await gateway.fetch(`${gateway.url}/v1/auth/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ ...account, name: 'Bench' }),
    });
    // An access token lives 5 minutes, less than this part takes on a busy machine: signed in again, untimed,
    // before each request once it is 4 minutes old.
    let session = { accessToken: '', at: 0 };
    const signedIn = async () => {
      if (Date.now() - session.at < 4 * 60_000) return;
      const login = await gateway.fetch(`${gateway.url}/v1/auth/login`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify(account),
      });
      session = { ...((await login.json()) as { accessToken: string }), at: Date.now() };
    };
    const urls = new Map<Variant, string>();
    for (const variant of variants) {
      const started = await startFunctionProcess(stacked.definition, {
        dist,
        port: await freePort(),
        env: {
          ...stack.env,
          MYSQL_DATABASE: databases.order,
          LOG_LEVEL: 'warn',
          CONTRACT_CHECKS: 'off',
          ...VARIANTS[variant],
        },
      });
      extra.push(started);
      urls.set(variant, started.url);
    }
    const body = JSON.stringify({
      items: [{ productId, quantity: 1 }],
      shippingAddress: { name: 'Bench', line1: '1 Span St', city: 'Cork', postalCode: 'T12', country: 'IE' },
      paymentToken: 'tok_visa',
    });
    const unsampled = `00-${randomUUID().replaceAll('-', '')}-${randomUUID().replaceAll('-', '').slice(0, 16)}-00`;
    const place = (variant: Variant) =>
      fetch(`${urls.get(variant) ?? ''}/v1/orders`, {
        method: 'POST',
        headers: {
          ...json,
          authorization: `Bearer ${session.accessToken}`,
          ...(variant === 'off' ? { traceparent: unsampled } : {}),
        },
        body,
      });
    const timedPlace = async (variant: Variant) => {
      await signedIn();
      return timed(() => place(variant), 201);
    };
    for (const variant of variants) for (let i = 0; i < 20; i++) await timedPlace(variant);
    await interleaved('POST /v1/orders', count, timedPlace);
  } finally {
    await Promise.all(extra.map((fn) => fn.stop()));
    await mysql.end();
    await stop();
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
    await placeOrders(requests);
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
