// Load for the benchmarks that go through the local stack: clients sending requests, and the gateway without its
// rate limits (the load would be refused otherwise).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { createConnection } from 'mysql2/promise';
import { parseKongConfig } from '../../dev/gateway/kong-config';
import { startLocalStack, type LocalStack } from '../../dev/local-stack/local-stack';
import type { StackTracing } from '../../dev/local-stack/stack-tracing';
import { createLogger } from '../../shared/log/logger';

const root = path.resolve(__dirname, '../..');

/** kong.yml without its rate-limiting plugins. */
export function kongWithoutRateLimits() {
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

/** What one measured load gave: latency in milliseconds, throughput in requests a second. */
export interface Measured {
  readonly median: number;
  readonly p99: number;
  readonly throughput: number;
}

/** Sends `count` requests from `parallel` clients; prints and answers the median, p99 and throughput. */
export async function measure(
  label: string,
  count: number,
  parallel: number,
  send: (i: number) => Promise<Response>,
): Promise<Measured> {
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
  return { median: at(0.5), p99: at(0.99), throughput: count / seconds };
}

/** The local stack as `npm start -- --infra` runs it, on databases and a keyspace of the bench's own. */
export interface BenchStack {
  readonly stack: LocalStack;
  /** The database of each service. */
  readonly databases: Readonly<Record<'user' | 'order' | 'product', string>>;
  /** Stops the stack and drops its databases. */
  readonly stop: () => Promise<void>;
}

export async function startBenchStack(
  prefix: string,
  options: { readonly tracing?: StackTracing } = {},
): Promise<BenchStack> {
  const suffix = randomUUID().slice(0, 8);
  const databases = {
    user: `${prefix}_user_${suffix}`,
    order: `${prefix}_order_${suffix}`,
    product: `${prefix}_product_${suffix}`,
  };
  const stack = await startLocalStack({
    mode: 'infra',
    dataDir: '',
    gatewayPort: 0,
    gatewayHttpsPort: 0,
    brokerPort: 0,
    kongConfig: kongWithoutRateLimits(),
    ...(options.tracing ? { tracing: options.tracing } : {}),
    logger: createLogger('bench', { level: 'error' }),
    envFor: (service) => ({
      MYSQL_DATABASE: databases[service],
      CASSANDRA_KEYSPACE: `${prefix}_${suffix}`,
      LOG_LEVEL: 'warn',
      // As on the cluster: the local stack checks every answer against the API documents, which is not what a
      // production function pays for.
      CONTRACT_CHECKS: 'off',
    }),
  });
  return {
    stack,
    databases,
    stop: async () => {
      await stack.stop();
      const mysql = await createConnection({ host: '127.0.0.1', user: 'root' });
      for (const name of Object.values(databases)) await mysql.query(`DROP DATABASE IF EXISTS ${name}`);
      await mysql.end();
    },
  };
}
