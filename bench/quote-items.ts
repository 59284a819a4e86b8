// QuoteItems for a 5-line order, as place-order asks it: the product-grpc sidecar of the local stack (MariaDB), a
// customer's token on each call, the five products live with stock. Latency from one client (the p50 and p99 an
// order placement waits), then the throughput of 4. Needs `npm run build` and `npm run infra:up`.
// Run: npx tsx bench/quote-items.ts [calls=2000]
import { randomUUID } from 'node:crypto';
import { credentials, status } from '@grpc/grpc-js';
import { createConnection } from 'mysql2/promise';
import { loadProto } from '../shared/grpc/load-proto';
import { callUnary } from '../test/fixtures/grpc/call-unary';
import { startBenchStack } from './support/load';
import { runBench } from './support/run-bench';
import { insertProducts } from './support/seed-products';
import type { DevGateway } from '../dev/gateway/dev-gateway';

const calls = Number(process.argv[2] ?? 2000);

async function customerToken(gateway: DevGateway): Promise<string> {
  const account = { email: `quote-${randomUUID()}@bench.local`, password: 'quote bench password' };
  const post = (route: string, body: unknown) =>
    gateway.fetch(`${gateway.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const registered = await post('/v1/auth/register', { ...account, name: 'Quote' });
  if (registered.status !== 201) throw new Error(`register: ${String(registered.status)}`);
  const login = await post('/v1/auth/login', account);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

async function main(): Promise<void> {
  const { stack, databases, stop } = await startBenchStack('bench_qi');
  const mysql = await createConnection({ host: '127.0.0.1', user: 'root' });
  try {
    const sidecar = stack.functions.find((fn) => fn.definition.name === 'product-grpc');
    const query = stack.functions.find((fn) => fn.definition.name === 'product-query');
    if (!sidecar || !query) throw new Error('product-grpc or product-query is not running');
    await (await fetch(`${query.url}/v1/categories`)).arrayBuffer(); // opens and migrates the product database

    const now = new Date();
    const ids = Array.from({ length: 5 }, () => randomUUID());
    await insertProducts(
      mysql,
      databases.product,
      ids.map((id, i) => ({
        id,
        sku: `QUOTE-${String(i)}`,
        name: `Quoted thing ${String(i)}`,
        description: 'A thing to quote.',
        price: 1000 + i,
        categoryId: null,
      })),
    );
    await mysql.query(
      `INSERT INTO ${databases.product}.inventory (product_id, on_hand, reserved, updated_at) VALUES ?`,
      [ids.map((id) => [id, 100, 10, now])],
    );
    const headers = { authorization: `Bearer ${await customerToken(stack.gateway)}` };
    const Product = (await loadProto('product.proto')).client('ecom.product.v1.ProductService');
    const client = new Product(`127.0.0.1:${String(sidecar.port)}`, credentials.createInsecure());
    const request = { items: ids.map((productId, i) => ({ productId, quantity: i + 1 })) };
    const quote = async () => {
      const outcome = await callUnary(client, Product, 'QuoteItems', request, headers);
      if (outcome.code !== status.OK)
        throw new Error(`QuoteItems: ${String(outcome.code)} ${outcome.details}`);
    };
    for (let i = 0; i < 200; i++) await quote(); // warm up: connections, the JIT

    const samples: number[] = [];
    const serialStarted = performance.now();
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await quote();
      samples.push(performance.now() - t0);
    }
    const serialSeconds = (performance.now() - serialStarted) / 1000;
    samples.sort((a, b) => a - b);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
    console.log(
      `QuoteItems, 5 lines, 1 client    p50 ${at(0.5).toFixed(2)} ms  p99 ${at(0.99).toFixed(2)} ms  ${(calls / serialSeconds).toFixed(0)} calls/s`,
    );

    let next = 0;
    const parallelStarted = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next++ < calls) await quote();
      }),
    );
    const parallelSeconds = (performance.now() - parallelStarted) / 1000;
    console.log(`QuoteItems, 5 lines, 4 clients   ${(calls / parallelSeconds).toFixed(0)} calls/s`);
    client.close();
  } finally {
    await mysql.end();
    await stop();
  }
}

runBench(main);
