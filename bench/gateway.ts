// Through the dev gateway: login and register throughput and p99, and the gateway's own overhead (the same
// request through the gateway and straight to the function). The local stack runs as `npm start -- --infra` does
// (MariaDB, Kafka, Cassandra), with kong.yml's rate limits left out so the load is not refused.
// Needs `npm run build` and `npm run infra:up`. Run: npx tsx bench/gateway.ts [requests=200] [clients=4]
import { randomUUID } from 'node:crypto';
import { measure, startBenchStack } from './support/load';
import { runBench } from './support/run-bench';

const requests = Number(process.argv[2] ?? 200);
const clients = Number(process.argv[3] ?? 4);

async function main(): Promise<void> {
  const { stack, stop } = await startBenchStack('bench_gw');
  const suffix = randomUUID().slice(0, 8);
  const json = { 'content-type': 'application/json' };
  const password = 'gateway benchmark password';
  const emails: string[] = [];
  try {
    const gw = stack.gateway.url;
    const register = (i: number) => {
      const email = `gw-${i}-${suffix}@example.com`;
      emails.push(email);
      return stack.gateway.fetch(`${gw}/v1/auth/register`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email, password, name: 'Gateway' }),
      });
    };
    const login = (i: number) =>
      stack.gateway.fetch(`${gw}/v1/auth/login`, {
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
      // The same client both ways (it trusts the gateway's certificate), so only the path differs.
      stack.gateway.fetch(`${base}/v1/notifications?page=0`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
    for (let i = 0; i < 200; i++) await (await trivial(gw)()).arrayBuffer(); // warm both paths
    const { median: direct } = await measure(
      'trivial route, straight to the function',
      1000,
      1,
      trivial(orderQuery.url),
    );
    const { median: via } = await measure('trivial route, through the gateway', 1000, 1, trivial(gw));
    console.log(`gateway overhead (median, 1 client): ${(via - direct).toFixed(2)} ms`);
  } finally {
    await stop();
  }
}

runBench(main);
