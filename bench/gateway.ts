// Through the dev gateway: login and register throughput and p99, and the gateway's own overhead (the same
// request through the gateway and straight to the function). The local stack runs as `npm start -- --infra` does
// (MariaDB, Kafka, Cassandra), with kong.yml's rate limits left out so the load is not refused.
// Needs `npm run build` and `npm run infra:up`. Run: npx tsx bench/gateway.ts [requests=200] [clients=4]
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { parse, stringify } from 'yaml';
import { parseKongConfig } from '../dev/gateway/kong-config';
import { startLocalStack } from '../dev/local-stack/local-stack';
import { createLogger } from '../shared/log/logger';

const requests = Number(process.argv[2] ?? 200);
const clients = Number(process.argv[3] ?? 4);
const root = path.resolve(__dirname, '..');

/** kong.yml without its rate-limiting plugins. */
function kongWithoutRateLimits() {
  const config = parse(readFileSync(path.join(root, 'kong', 'kong.yml'), 'utf8')) as {
    plugins?: { name: string }[];
    services?: { plugins?: { name: string }[]; routes?: { plugins?: { name: string }[] }[] }[];
  };
  const keep = (plugins?: { name: string }[]) => plugins?.filter((plugin) => plugin.name !== 'rate-limiting');
  config.plugins = keep(config.plugins);
  for (const service of config.services ?? []) {
    service.plugins = keep(service.plugins);
    for (const route of service.routes ?? []) route.plugins = keep(route.plugins);
  }
  return parseKongConfig(stringify(config), 'kong.yml without rate limits');
}

async function measure(
  label: string,
  count: number,
  parallel: number,
  send: (i: number) => Promise<Response>,
) {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const response = await send(i);
        await response.arrayBuffer();
        if (response.status >= 500 || response.status === 429)
          throw new Error(`${label}: ${response.status}`);
        samples.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  console.log(
    `${label.padEnd(44)} median ${at(0.5).toFixed(1).padStart(6)} ms  p99 ${at(0.99).toFixed(1).padStart(6)} ms  ${(count / seconds).toFixed(0).padStart(5)} req/s`,
  );
  return at(0.5);
}

async function main(): Promise<void> {
  const suffix = randomUUID().slice(0, 8);
  const databases = {
    user: `bench_gw_user_${suffix}`,
    order: `bench_gw_order_${suffix}`,
    product: `bench_gw_p_${suffix}`,
  };
  const stack = await startLocalStack({
    mode: 'infra',
    dataDir: '',
    gatewayPort: 0,
    brokerPort: 0,
    kongConfig: kongWithoutRateLimits(),
    logger: createLogger('bench', { level: 'error' }),
    envFor: (service) => ({
      MYSQL_DATABASE: databases[service],
      CASSANDRA_KEYSPACE: `bench_gw_${suffix}`,
      LOG_LEVEL: 'warn',
    }),
  });
  const json = { 'content-type': 'application/json' };
  const password = 'gateway benchmark password';
  const emails: string[] = [];
  try {
    const gw = stack.gateway.url;
    const register = (i: number) => {
      const email = `gw-${i}-${suffix}@example.com`;
      emails.push(email);
      return fetch(`${gw}/v1/auth/register`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email, password, name: 'Gateway' }),
      });
    };
    const login = (i: number) =>
      fetch(`${gw}/v1/auth/login`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: emails[i % emails.length], password }),
      });
    await (await register(-1)).arrayBuffer(); // first requests open pools and producers
    await (await login(0)).arrayBuffer();
    await measure(`register via gateway, ${clients} clients`, requests, clients, register);
    await measure(`login via gateway, ${clients} clients`, requests, clients, login);

    // A trivial route: a valid token and a query the function refuses before touching a store (400).
    const { accessToken } = (await (await login(0)).json()) as { accessToken: string };
    const orderQuery = stack.functions.find((fn) => fn.definition.name === 'order-query');
    if (!orderQuery) throw new Error('order-query is not running');
    const trivial = (base: string) => () =>
      fetch(`${base}/v1/notifications?page=0`, { headers: { authorization: `Bearer ${accessToken}` } });
    for (let i = 0; i < 200; i++) await (await trivial(gw)()).arrayBuffer(); // warm both paths
    const direct = await measure('trivial route, straight to the function', 1000, 1, trivial(orderQuery.url));
    const via = await measure('trivial route, through the gateway', 1000, 1, trivial(gw));
    console.log(`gateway overhead (median, 1 client): ${(via - direct).toFixed(2)} ms`);
  } finally {
    await stack.stop();
    const mysql = await createConnection({ host: '127.0.0.1', user: 'root' });
    for (const name of Object.values(databases)) await mysql.query(`DROP DATABASE IF EXISTS ${name}`);
    await mysql.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
