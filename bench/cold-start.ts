// Cold start of each function bundle: from process spawn to the first successful real request (a request to one
// of its routes that touches its stores), median of N runs, beside a bare node:http server measured in the same
// run (the floor), and beside the libraries alone (bench/fixtures/libraries-only.ts: functions-framework, sequelize
// with mysql2, zod, jsonwebtoken and one query, through the same loader). Also each idle RSS after that request.
// With `--before <dir>` (a dist/ built from an earlier commit), each function is also measured from that build in the
// same run, its runs interleaved with the current build's, so a change's effect is not lost in the machine's drift.
// Needs `npm run build` and the infrastructure (`npm run infra:up`).
// `--only a,b` measures those functions only.
// `--node <path>` runs everything with that Node binary (the functions, the floor, the libraries' code cache): the bench
// starts itself again on it. A function's code cache is V8's of the Node that built dist/, and another Node rejects
// it (the bench says so): build with the same Node first, e.g. `npm run node24 -- npm run build`.
// `--traced` measures each function with tracing on too (OTEL_* to the local Zipkin), interleaved in the same run.
// Run: npx tsx bench/cold-start.ts [runs=10] [--before <dist dir>] [--only <function,...>] [--node <path>] [--traced]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { credentials, status } from '@grpc/grpc-js';
import { HTTP, CloudEvent } from 'cloudevents';
import { createConnection } from 'mysql2/promise';
import { createCassandraClient, cassandraClientOptions } from '../shared/cassandra/create-cassandra-client';
import { CassandraEnv } from '../shared/config/env-schemas';
import { loadConfig } from '../shared/config/load-config';
import { loadProto } from '../shared/grpc/load-proto';
import { callUnary } from '../test/fixtures/grpc/call-unary';
import { bundle } from '../dev/bundle';
import { freePort } from '../dev/local-stack/free-port';
import { eventsTopic } from './support/events-topic';
import { writeCodeCache, writeLoader } from '../dev/function-loader';
import { infraEnv } from '../dev/infra/infra-env';

const args = process.argv.slice(2);
const beforeAt = args.indexOf('--before');
const beforeDist = beforeAt >= 0 ? path.resolve(args[beforeAt + 1] ?? '') : undefined;
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',') : undefined;
const nodeAt = args.indexOf('--node');
const node = nodeAt >= 0 ? path.resolve(args[nodeAt + 1] ?? '') : undefined;
// `--traced`: each function also with tracing on, exporting to the local Zipkin (`npm run infra:up` starts it).
const traced = args.includes('--traced');
const TRACED_ENV: NodeJS.ProcessEnv = {
  OTEL_TRACES_EXPORTER: 'zipkin',
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: infraEnv.zipkin.spansEndpoint,
  OTEL_TRACES_SAMPLER: 'parentbased_always_on',
};
const runs = Number(args.find((arg, i) => /^\d+$/.test(arg) && i !== beforeAt + 1 && i !== nodeAt + 1) ?? 10);
// On another Node than this one, the bench runs itself again there: process.execPath is then that Node everywhere.
if (node !== undefined && realpathSync(node) !== realpathSync(process.execPath)) {
  const again = spawnSync(node, ['--import', 'tsx', __filename, ...args], {
    cwd: path.resolve(__dirname, '..'),
    stdio: 'inherit',
  });
  process.exit(again.status ?? 1);
}
const root = path.resolve(__dirname, '..');
const suffix = randomUUID().slice(0, 8);
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'development',
  LOG_LEVEL: 'error',
  EVENTS_TOPIC: `bench-${suffix}`,
  CASSANDRA_KEYSPACE: `bench_${suffix}`,
  ADMIN_EMAIL: 'admin@bench.local',
  ADMIN_PASSWORD: 'bench admin password',
};
const userDb = `bench_user_${suffix}`;
const orderDb = `bench_order_${suffix}`;
const productDb = `bench_product_${suffix}`;

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
}

/** Every process the bench started and has not killed: killed too if the bench fails. */
const children = new Set<ChildProcess>();

/** Spawns `script` on `port` (chosen by {@link freePort}, so nothing else on the machine listens there). */
function spawnScript(
  script: string,
  database: string,
  port: number,
  extraEnv: NodeJS.ProcessEnv = {},
): Running {
  const child = spawn(process.execPath, [script], {
    env: { ...env, ...extraEnv, PORT: String(port), MYSQL_DATABASE: database },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return { child, port };
}

/**
 * Retries `attempt` until it succeeds; the time from spawn to that success is the cold start. A probe that got an
 * answer other than the one it waits for throws it ({@link http}, {@link postEvent}): the timeout names the last.
 */
async function untilOk(attempt: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    const ok = await attempt().catch((error: unknown) => {
      last = error instanceof Error ? error.message : String(error);
      return false;
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`no successful request in time (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Resolves true when `ok`; throws the answer otherwise, for untilOk to report. The body is read either way. */
async function expectStatus(response: Response, ok: boolean, what: string) {
  const body = await response.text();
  if (ok) return true;
  throw new Error(`${what} answered ${String(response.status)}: ${body.slice(0, 200)}`);
}

function rssMiB(pid: number | undefined): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const http = (port: number, method: string, route: string, body?: unknown, token?: string, expect = 200) =>
  fetch(`http://127.0.0.1:${port}${route}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).then((response) => expectStatus(response, response.status === expect, `${method} ${route}`));

/** Delivers a CloudEvent in binary mode, as the broker does; true when the function acknowledged it. */
async function postEvent(
  port: number,
  attributes: { type: string; source: string; subject?: string; data: unknown; [extension: string]: unknown },
): Promise<boolean> {
  const message = HTTP.binary(new CloudEvent(attributes));
  const response = await fetch(`http://127.0.0.1:${String(port)}/`, {
    method: 'POST',
    headers: message.headers as Record<string, string>,
    body: JSON.stringify(message.body),
  });
  return expectStatus(response, response.ok, attributes.type);
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** Whether this Node takes the code cache beside `dir`'s bundle (dev/function-loader.ts), as the loader would load it. */
function codeCacheAccepted(dir: string): boolean {
  const file = path.join(dir, 'function.js');
  const cachedData = readFileSync(`${file}.cache`);
  const script = new vm.Script(Module.wrap(readFileSync(file, 'latin1')), { filename: file, cachedData });
  return !script.cachedDataRejected;
}

async function main(): Promise<void> {
  console.log(`node ${process.version} (${process.execPath})`);
  const deleteTopic = await eventsTopic(env.EVENTS_TOPIC ?? '');
  // A long-running register and login serve the set-up: migrations, the admin, a customer, tokens.
  const register = spawnScript(path.join(root, 'dist/register/index.js'), userDb, await freePort());
  const login = spawnScript(path.join(root, 'dist/login/index.js'), userDb, await freePort());
  // notify asks user-grpc for the address it mails: one runs throughout, as on the cluster.
  const userGrpc = spawnScript(path.join(root, 'dist/user-grpc/index.js'), userDb, await freePort());
  env.USER_GRPC_ADDRESS = `127.0.0.1:${userGrpc.port}`;
  const customer = { email: `bench-${suffix}@example.com`, password: 'bench customer password' };
  await untilOk(() =>
    http(register.port, 'POST', '/v1/auth/register', { ...customer, name: 'Bench' }, undefined, 201),
  );
  const signIn = async (who: { email: string; password: string }) => {
    const response = await fetch(`http://127.0.0.1:${login.port}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(who),
    });
    return (await response.json()) as Tokens;
  };
  await untilOk(async () => typeof ((await signIn(customer)) as Partial<Tokens>).accessToken === 'string');
  const adminCredentials = { email: env.ADMIN_EMAIL ?? '', password: env.ADMIN_PASSWORD ?? '' };
  const user = await signIn(customer);
  const admin = await signIn(adminCredentials);
  // Access tokens live 5 minutes and a run with --before on a slow host lasts longer: both sign in again every 4.
  const keepSignedIn = setInterval(() => {
    // A failed sign-in keeps the old tokens: the probes' 401s then say so.
    Promise.all([signIn(customer), signIn(adminCredentials)]).then(
      ([customerTokens, adminTokens]) => {
        Object.assign(user, customerTokens);
        Object.assign(admin, adminTokens);
      },
      () => undefined,
    );
  }, 4 * 60_000).unref();
  const me = (await (
    await fetch(`http://127.0.0.1:${register.port}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `target-${suffix}@example.com`,
        password: 'bench target password',
        name: 'T',
      }),
    })
  ).json()) as { id: string };
  const proto = await loadProto('user.proto');
  const UserClient = proto.client('ecom.user.v1.UserService');
  const ProductClient = (await loadProto('product.proto')).client('ecom.product.v1.ProductService');
  const OrderClient = (await loadProto('order.proto')).client('ecom.order.v1.OrderService');

  // A long-running create-product makes the products the other product functions' probes use: one to read and
  // change, and one per delete.
  const createProduct = spawnScript(
    path.join(root, 'dist/create-product/index.js'),
    productDb,
    await freePort(),
  );
  const newProduct = async () => {
    const response = await fetch(`http://127.0.0.1:${createProduct.port}/v1/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.accessToken}` },
      body: JSON.stringify({
        sku: `COLD-${randomUUID()}`,
        name: 'Cold teapot',
        price: { amount: 1999, currency: 'USD' },
        status: 'active',
      }),
    });
    if (response.status !== 201) throw new Error(`create-product: ${String(response.status)}`);
    return ((await response.json()) as { id: string }).id;
  };
  await untilOk(async () => typeof (await newProduct()) === 'string');
  const product = await newProduct();
  const toDelete: string[] = [];
  for (let i = 0; i < 2 * runs + 5; i++) toDelete.push(await newProduct());
  let deleting: string | undefined;
  // place-order prices its orders with product-grpc: one runs throughout, as on the cluster.
  const productGrpc = spawnScript(path.join(root, 'dist/product-grpc/index.js'), productDb, await freePort());
  env.PRODUCT_GRPC_ADDRESS = `127.0.0.1:${String(productGrpc.port)}`;

  const probes: Record<string, { db: string; probe: (port: number) => Promise<boolean> }> = {
    register: {
      db: userDb,
      probe: (port) =>
        http(
          port,
          'POST',
          '/v1/auth/register',
          { email: `${randomUUID()}@bench.local`, password: 'cold start password', name: 'C' },
          undefined,
          201,
        ),
    },
    login: { db: userDb, probe: (port) => http(port, 'POST', '/v1/auth/login', customer) },
    'refresh-token': {
      db: userDb,
      probe: async (port) =>
        http(port, 'POST', '/v1/auth/refresh', { refreshToken: (await signIn(customer)).refreshToken }),
    },
    // A session of its own each time: logging out ends the session of the token it is called with.
    logout: {
      db: userDb,
      probe: async (port) => {
        const session = await signIn(customer);
        return http(
          port,
          'POST',
          '/v1/auth/logout',
          { refreshToken: session.refreshToken },
          session.accessToken,
          204,
        );
      },
    },
    'update-profile': {
      db: userDb,
      probe: (port) => http(port, 'PATCH', '/v1/users/me', { name: 'Bench' }, user.accessToken),
    },
    'change-role': {
      db: userDb,
      probe: (port) => http(port, 'PUT', `/v1/users/${me.id}/role`, { role: 'customer' }, admin.accessToken),
    },
    'revoke-sessions': {
      db: userDb,
      probe: (port) => http(port, 'DELETE', `/v1/users/${me.id}/sessions`, undefined, admin.accessToken, 204),
    },
    'user-query': {
      db: userDb,
      probe: (port) => http(port, 'GET', '/v1/users/me', undefined, user.accessToken),
    },
    'user-outbox-relay': { db: userDb, probe: (port) => http(port, 'POST', '/', {}, undefined, 204) },
    'user-grpc': {
      db: userDb,
      probe: async (port) => {
        const client = new UserClient(`127.0.0.1:${port}`, credentials.createInsecure());
        const outcome = await callUnary(
          client,
          UserClient,
          'GetUser',
          { id: me.id },
          {
            authorization: `Bearer ${admin.accessToken}`,
          },
        );
        client.close();
        return outcome.code === status.OK;
      },
    },
    notify: {
      db: orderDb,
      probe: (port) =>
        postEvent(port, {
          type: 'com.ecom.user.registered',
          source: '/ecom/user/register',
          subject: me.id,
          data: {
            userId: me.id,
            email: 'cold@bench.local',
            name: 'Cold',
            registeredAt: new Date().toISOString(),
          },
        }),
    },
    'place-order': {
      db: orderDb,
      probe: (port) =>
        http(
          port,
          'POST',
          '/v1/orders',
          {
            items: [{ productId: product, quantity: 1 }],
            shippingAddress: {
              name: 'Cold',
              line1: '1 Main St',
              city: 'Berlin',
              postalCode: '10115',
              country: 'DE',
            },
            paymentToken: 'tok_visa',
          },
          user.accessToken,
          201,
        ),
    },
    // An order this service does not hold: read, found missing, acknowledged.
    'advance-order': {
      db: orderDb,
      probe: (port) =>
        postEvent(port, {
          type: 'com.ecom.inventory.rejected',
          source: '/ecom/product/reserve-inventory',
          data: {
            orderId: randomUUID(),
            shortLines: [{ productId: product, quantity: 1, available: 0 }],
            rejectedAt: new Date().toISOString(),
          },
        }),
    },
    'order-outbox-relay': { db: orderDb, probe: (port) => http(port, 'POST', '/', {}, undefined, 204) },
    // Stock reserved for an order this service does not hold: read, no charge due, acknowledged.
    'capture-payment': {
      db: orderDb,
      probe: (port) =>
        postEvent(port, {
          type: 'com.ecom.inventory.reserved',
          source: '/ecom/product/reserve-inventory',
          data: {
            orderId: randomUUID(),
            lines: [{ productId: product, quantity: 1 }],
            reservedAt: new Date().toISOString(),
          },
        }),
    },
    // A refund of no captured charge: read, acknowledged.
    'refund-payment': {
      db: orderDb,
      probe: (port) =>
        postEvent(port, {
          type: 'com.ecom.payment.refund-requested',
          source: '/ecom/order/advance-order',
          data: {
            orderId: randomUUID(),
            amount: { amount: 100, currency: 'USD' },
            reference: 'ch_sim_bench',
            requestedAt: new Date().toISOString(),
          },
        }),
    },
    // An unknown order: the token checked, the order read, 404.
    'cancel-order': {
      db: orderDb,
      probe: (port) => http(port, 'POST', `/v1/orders/${randomUUID()}/cancel`, {}, user.accessToken, 404),
    },
    // An admin route: the session confirmed with user-grpc, the order read, 404.
    'ship-order': {
      db: orderDb,
      probe: (port) => http(port, 'POST', `/v1/orders/${randomUUID()}/delivery`, {}, admin.accessToken, 404),
    },
    'expire-orders': { db: orderDb, probe: (port) => http(port, 'POST', '/', {}, undefined, 204) },
    // One timeline entry written (the history migrated by the first run).
    'record-order-timeline': {
      db: orderDb,
      probe: (port) =>
        postEvent(port, {
          type: 'com.ecom.order.changed',
          source: '/ecom/order/advance-order',
          data: {
            orderId: randomUUID(),
            step: 'stock-reserved',
            status: 'RESERVED',
            detail: 'cold start',
            changedAt: new Date().toISOString(),
          },
        }),
    },
    // The customer's orders: a read of the orders table (migrated by the first run if no order function ran yet).
    'order-grpc': {
      db: orderDb,
      probe: async (port) => {
        const client = new OrderClient(`127.0.0.1:${port}`, credentials.createInsecure());
        const outcome = await callUnary(
          client,
          OrderClient,
          'ListOrders',
          {},
          { authorization: `Bearer ${user.accessToken}` },
        );
        client.close();
        return outcome.code === status.OK;
      },
    },
    // A dead letter as the KafkaSource delivers it: kept in the order database (migrated by the first run).
    'count-dead-letters': {
      db: orderDb,
      probe: (port) =>
        postEvent(port, {
          type: 'com.ecom.order.placed',
          source: '/ecom/order/place-order',
          subject: randomUUID(),
          data: { orderId: randomUUID() },
          knativeerrordest: 'http://reserve-inventory.ecom.svc.cluster.local',
          knativeerrorcode: '503',
        }),
    },
    // An admin route: the session confirmed with user-grpc, the letter read, 404.
    'replay-dead-letters': {
      db: orderDb,
      probe: (port) =>
        http(port, 'POST', `/v1/dead-letters/${randomUUID()}/replay`, {}, admin.accessToken, 404),
    },
    'order-query': {
      db: orderDb,
      probe: (port) => http(port, 'GET', '/v1/notifications', undefined, user.accessToken),
    },
    'create-product': {
      db: productDb,
      probe: (port) =>
        http(
          port,
          'POST',
          '/v1/products',
          { sku: `COLD-${randomUUID()}`, name: 'Cold mug', price: { amount: 999, currency: 'USD' } },
          admin.accessToken,
          201,
        ),
    },
    'update-product': {
      db: productDb,
      probe: (port) =>
        http(port, 'PATCH', `/v1/products/${product}`, { name: 'Cold teapot' }, admin.accessToken),
    },
    'delete-product': {
      db: productDb,
      // A product per request that reached the function; a refused connection (not listening yet) keeps it.
      probe: async (port) => {
        deleting ??= toDelete.pop();
        const deleted = await http(
          port,
          'DELETE',
          `/v1/products/${deleting ?? ''}`,
          undefined,
          admin.accessToken,
          204,
        );
        deleting = undefined;
        return deleted;
      },
    },
    'manage-categories': {
      db: productDb,
      probe: (port) =>
        http(port, 'POST', '/v1/categories', { name: `Cold ${randomUUID()}` }, admin.accessToken, 201),
    },
    'product-query': {
      db: productDb,
      probe: (port) => http(port, 'GET', '/v1/products?q=teapot'),
    },
    'adjust-inventory': {
      db: productDb,
      probe: (port) => http(port, 'GET', `/v1/products/${product}/inventory`, undefined, admin.accessToken),
    },
    'reserve-inventory': {
      db: productDb,
      probe: (port) =>
        postEvent(port, {
          type: 'com.ecom.order.placed',
          source: '/ecom/order/place-order',
          data: {
            orderId: randomUUID(),
            customerId: me.id,
            lines: [{ productId: product, quantity: 1 }],
            placedAt: new Date().toISOString(),
          },
        }),
    },
    'record-stock-movements': {
      db: productDb,
      probe: (port) =>
        postEvent(port, {
          type: 'com.ecom.inventory.adjusted',
          source: '/ecom/product/adjust-inventory',
          data: {
            productId: product,
            delta: 5,
            reason: 'restock',
            onHand: 5,
            reserved: 0,
            adjustedAt: new Date().toISOString(),
          },
        }),
    },
    'product-outbox-relay': { db: productDb, probe: (port) => http(port, 'POST', '/', {}, undefined, 204) },
    'product-grpc': {
      db: productDb,
      probe: async (port) => {
        const client = new ProductClient(`127.0.0.1:${port}`, credentials.createInsecure());
        const outcome = await callUnary(client, ProductClient, 'GetProduct', { id: product }, {});
        client.close();
        return outcome.code === status.OK;
      },
    },
  };

  /** Cold starts of each script, their runs interleaved: the median, and the idle RSS after the last run's request. */
  const measureEach = async (
    variants: readonly (string | { readonly script: string; readonly env: NodeJS.ProcessEnv })[],
    db: string,
    probe: (port: number) => Promise<boolean>,
  ) => {
    const scripts = variants.map((variant) =>
      typeof variant === 'string' ? { script: variant, env: {} } : variant,
    );
    const times = scripts.map((): number[] => []);
    const rss = scripts.map(() => 0);
    for (let run = 0; run < runs; run++) {
      for (const [i, { script, env: extraEnv }] of scripts.entries()) {
        const port = await freePort();
        const started = performance.now();
        const running = spawnScript(script, db, port, extraEnv);
        await untilOk(() => probe(running.port));
        times[i]?.push(performance.now() - started);
        // The last run's process: by then every build has found the stores migrated, so none pays for that.
        if (run === runs - 1) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          rss[i] = rssMiB(running.child.pid);
        }
        running.child.kill('SIGKILL');
      }
    }
    return scripts.map((_, i) => {
      const sorted = [...(times[i] ?? [])].sort((a, b) => a - b);
      return { median: sorted[Math.floor(sorted.length / 2)] ?? 0, rss: rss[i] ?? 0 };
    });
  };
  const measure = async (
    name: string,
    script: string,
    db: string,
    probe: (port: number) => Promise<boolean>,
  ) => {
    const [result] = await measureEach([script], db, probe);
    return { name, median: result?.median ?? 0, rss: result?.rss ?? 0 };
  };

  const floor = await measure(
    'bare node:http (floor)',
    path.join(root, 'bench/fixtures/bare-http.cjs'),
    userDb,
    (port) => http(port, 'GET', '/'),
  );
  console.log(
    `${floor.name.padEnd(24)} cold start ${floor.median.toFixed(0).padStart(5)} ms            idle RSS ${floor.rss.toFixed(0).padStart(4)} MiB`,
  );
  const librariesDir = path.join(root, '.data/bench/libraries-only');
  await bundle(path.join(root, 'bench/fixtures/libraries-only.ts'), path.join(librariesDir, 'function.js'));
  writeLoader(librariesDir);
  await writeCodeCache(librariesDir);
  const libraries = await measure('libraries only', path.join(librariesDir, 'index.js'), userDb, (port) =>
    http(port, 'GET', '/'),
  );
  console.log(
    `${libraries.name.padEnd(24)} cold start ${libraries.median.toFixed(0).padStart(5)} ms (x${(libraries.median / floor.median).toFixed(1).padStart(4)})  idle RSS ${libraries.rss.toFixed(0).padStart(4)} MiB`,
  );
  const line = (name: string, result: { median: number; rss: number }) =>
    `${name.padEnd(24)} cold start ${result.median.toFixed(0).padStart(5)} ms (x${(result.median / floor.median).toFixed(1).padStart(4)})  idle RSS ${result.rss.toFixed(0).padStart(4)} MiB`;
  for (const [name, { db, probe }] of Object.entries(probes)) {
    if (only && !only.includes(name)) continue;
    const current = path.join(root, 'dist', name, 'index.js');
    if (!codeCacheAccepted(path.dirname(current))) {
      console.log(
        `  (${name}: node ${process.version} rejects the code cache of dist/; build dist/ with it)`,
      );
    }
    const earlier = beforeDist === undefined ? undefined : path.join(beforeDist, name, 'index.js');
    const hasEarlier = earlier !== undefined && existsSync(earlier);
    const [after, ...others] = await measureEach(
      [current, ...(hasEarlier ? [earlier] : []), ...(traced ? [{ script: current, env: TRACED_ENV }] : [])],
      db,
      probe,
    );
    if (after) console.log(line(name, after));
    const before = hasEarlier ? others.shift() : undefined;
    if (before) console.log(line(`  before: ${name}`, before));
    const tracedRun = traced ? others.shift() : undefined;
    if (tracedRun) console.log(line(`  traced: ${name}`, tracedRun));
  }
  clearInterval(keepSignedIn);
  register.child.kill('SIGTERM');
  login.child.kill('SIGTERM');
  createProduct.child.kill('SIGTERM');
  productGrpc.child.kill('SIGTERM');
  userGrpc.child.kill('SIGTERM');
  const mysql = await createConnection({ host: '127.0.0.1', user: 'root' });
  await mysql.query(`DROP DATABASE IF EXISTS ${userDb}`);
  await mysql.query(`DROP DATABASE IF EXISTS ${orderDb}`);
  await mysql.query(`DROP DATABASE IF EXISTS ${productDb}`);
  await mysql.end();
  const cassandra = createCassandraClient(cassandraClientOptions(loadConfig(CassandraEnv)));
  await cassandra.execute(`DROP KEYSPACE IF EXISTS ${env.CASSANDRA_KEYSPACE ?? ''}`);
  await cassandra.shutdown();
  await deleteTopic();
}

main().catch((error: unknown) => {
  console.error(error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
