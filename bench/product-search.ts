// Catalogue search on 10,000 products: `GET /v1/products` with a text query and a category filter, from 4 clients,
// straight to product-query and through the dev gateway, beside a trivial route of the same function (a 400 before
// any store) in the same run. Through the gateway twice: as shoppers send them (ten searches over and over, which
// kong.yml's proxy-cache answers after the first of each), and each past the cache (`Cache-Control: no-cache`), so
// that every one costs the function and MariaDB. The stack runs as `npm start -- --infra` does (MariaDB, Kafka, Cassandra), with
// kong.yml's rate limits left out. Needs `npm run build` and `npm run infra:up`.
// Run: npx tsx bench/product-search.ts [products=10000] [requests=2000] [clients=4]
import { randomUUID } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { measure, startBenchStack, type Measured } from './support/load';
import { cpuMs, mariadbPid } from './support/process-cpu';
import { runBench } from './support/run-bench';
import { insertProducts } from './support/seed-products';

const products = Number(process.argv[2] ?? 10_000);
const requests = Number(process.argv[3] ?? 2000);
const clients = Number(process.argv[4] ?? 4);

const COLOURS = ['red', 'blue', 'green', 'black', 'white', 'amber', 'olive', 'violet', 'silver', 'golden'];
const MATERIALS = [
  'ceramic',
  'glass',
  'steel',
  'oak',
  'linen',
  'cotton',
  'copper',
  'bamboo',
  'marble',
  'wool',
];
const THINGS = ['teapot', 'mug', 'bowl', 'lamp', 'chair', 'towel', 'vase', 'plate', 'basket', 'blanket'];

/** Five top categories with two subcategories each; products spread over all fifteen. */
function categoryRows(now: Date) {
  const rows: [string, string, string | null, Date, Date][] = [];
  for (let top = 0; top < 5; top++) {
    const id = randomUUID();
    rows.push([id, `Department ${String(top)}`, null, now, now]);
    for (let sub = 0; sub < 2; sub++)
      rows.push([randomUUID(), `Aisle ${String(top)}.${String(sub)}`, id, now, now]);
  }
  return rows;
}

async function main(): Promise<void> {
  const { stack, databases, stop } = await startBenchStack('bench_ps');
  const mysql = await createConnection({ host: '127.0.0.1', user: 'root' });
  try {
    const query = stack.functions.find((fn) => fn.definition.name === 'product-query');
    if (!query) throw new Error('product-query is not running');
    await (await fetch(`${query.url}/v1/categories`)).arrayBuffer(); // opens and migrates the product database

    // The catalogue, written straight into the product database: categories, then products in batches.
    const now = new Date();
    const categories = categoryRows(now);
    await mysql.query(
      `INSERT INTO ${databases.product}.categories (id, name, parent_id, created_at, updated_at) VALUES ?`,
      [categories],
    );
    const top = categories.find((row) => row[2] === null)?.[0] ?? '';
    const started = performance.now();
    for (let at = 0; at < products; at += 1000) {
      const batch = Array.from({ length: Math.min(1000, products - at) }, (_, k) => {
        const i = at + k;
        const name = `${COLOURS[i % 10] ?? ''} ${MATERIALS[Math.floor(i / 10) % 10] ?? ''} ${THINGS[Math.floor(i / 100) % 10] ?? ''} ${String(i)}`;
        return {
          id: randomUUID(),
          sku: `BENCH-${String(i)}`,
          name,
          description: `A ${name} for every home.`,
          price: 500 + (i % 100) * 50,
          categoryId: categories[i % categories.length]?.[0] ?? null,
        };
      });
      await insertProducts(mysql, databases.product, batch);
    }
    console.log(
      `seeded ${String(products)} products in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    // The same client both ways (it trusts the gateway's certificate), so only the path differs.
    const search =
      (base: string, headers: Record<string, string> = {}) =>
      (i: number) =>
        stack.gateway.fetch(
          `${base}/v1/products?q=${encodeURIComponent(`${MATERIALS[i % 10] ?? ''} tea`)}&categoryId=${top}&pageSize=20`,
          { headers },
        );
    // How the gateway's cache answered each request of a run (X-Cache-Status).
    const cacheStatuses = new Map<string, number>();
    const tallied = (send: (i: number) => Promise<Response>) => async (i: number) => {
      const response = await send(i);
      const status = response.headers.get('x-cache-status') ?? 'none';
      cacheStatuses.set(status, (cacheStatuses.get(status) ?? 0) + 1);
      return response;
    };
    const talliedRun = async (run: () => Promise<Measured>) => {
      cacheStatuses.clear();
      const measured = await run();
      const tally = [...cacheStatuses].map(([status, count]) => `${status} ${String(count)}`).join(', ');
      console.log(`${''.padEnd(44)} X-Cache-Status: ${tally}`);
      return measured;
    };
    const trivial = (base: string) => () => stack.gateway.fetch(`${base}/v1/products?pageSize=101`);
    const check = await search(query.url)(0);
    const page = (await check.json()) as { total?: number };
    console.log(`a search answers ${String(check.status)} with ${String(page.total)} matching products`);
    for (let i = 0; i < 200; i++) {
      await (await search(query.url)(i)).arrayBuffer(); // warm both paths
      await (await search(stack.gateway.url)(i)).arrayBuffer();
    }
    const gateway = stack.gateway.url;
    // Where each request's CPU goes: the function, MariaDB, and this process (the clients and the gateway).
    const pids = { function: query.pid(), mariadb: mariadbPid(), 'bench and gateway': process.pid };
    const withCpu = async (run: () => Promise<Measured>) => {
      const before = Object.entries(pids).map(([name, pid]) => [name, pid, pid && cpuMs(pid)] as const);
      const measured = await run();
      const used = before.map(([name, pid, start]) =>
        pid && start !== undefined ? `${name} ${((cpuMs(pid) - start) / requests).toFixed(2)}` : `${name} ?`,
      );
      console.log(`${''.padEnd(44)} CPU ms a request: ${used.join(', ')}`);
      return measured;
    };
    const trivialDirect = await withCpu(() =>
      measure(`trivial route, straight, ${String(clients)} clients`, requests, clients, trivial(query.url)),
    );
    const searchDirect = await withCpu(() =>
      measure(`search, straight, ${String(clients)} clients`, requests, clients, search(query.url)),
    );
    const trivialVia = await withCpu(() =>
      measure(`trivial route, gateway, ${String(clients)} clients`, requests, clients, trivial(gateway)),
    );
    const searchVia = await talliedRun(() =>
      withCpu(() =>
        measure(`search, gateway, ${String(clients)} clients`, requests, clients, tallied(search(gateway))),
      ),
    );
    const pastCache = search(gateway, { 'cache-control': 'no-cache' });
    const searchPastCache = await talliedRun(() =>
      withCpu(() =>
        measure(
          `search, gateway, no-cache, ${String(clients)} clients`,
          requests,
          clients,
          tallied(pastCache),
        ),
      ),
    );
    const share = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;
    console.log(
      `search keeps ${share(searchDirect.throughput, trivialDirect.throughput)} of the trivial route's throughput straight, ${share(searchVia.throughput, trivialVia.throughput)} through the gateway (${share(searchPastCache.throughput, trivialVia.throughput)} past its cache)`,
    );
  } finally {
    await mysql.end();
    await stop();
  }
}

runBench(main);
