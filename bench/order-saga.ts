// The order service through the whole local stack on real MariaDB, Kafka and Cassandra (as `npm start -- --infra`
// runs it, kong.yml's rate limits left out): place-order's throughput and p99 through the gateway, and how long an
// order takes from order.placed to PAID with every function warm (`sagas` orders back to back, then `sagas` spaced
// apart), hop by hop: each event of the saga's path, from the transaction that wrote it to Kafka (the outbox's
// publish), and from Kafka to the next step's event (the broker's delivery and the next function's work), read by a
// consumer group of the bench's own; and the CPU each process spent per order meanwhile (/proc: the functions,
// MariaDB, Kafka, Cassandra and the bench's own process).
// With `--traced`, every request is traced into the local Zipkin, as `npm start -- --infra` runs the stack;
// `--traced=0.1`, a tenth of them, as the cluster samples.
// Needs `npm run build` and `npm run infra:up`.
// Run: npx tsx bench/order-saga.ts [orders=200] [clients=4] [sagas=100] [--traced[=<ratio>]]
import { setTimeout as sleep } from 'node:timers/promises';
import { DEV_ADMIN_PASSWORD } from '../functions/user/user-config';
import { KafkaEnv } from '../shared/config/env-schemas';
import { loadConfig } from '../shared/config/load-config';
import { EVENTS_TOPIC } from '../dev/deploy/deploy-settings';
import { infraEnv } from '../dev/infra/infra-env';
import { watchKafka, type KafkaWatch } from './support/kafka-watch';
import { measure, startBenchStack } from './support/load';
import { cpuMs, mariadbPid, pidOf } from './support/process-cpu';
import { runBench } from './support/run-bench';

const numbers = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const orders = Number(numbers[0] ?? 200);
const clients = Number(numbers[1] ?? 4);
const sagas = Number(numbers[2] ?? 100);
// `--traced` samples every request; `--traced=0.1` the share the cluster samples (TRACE_SAMPLING_RATIO).
const tracedArg = process.argv.find((arg) => arg === '--traced' || arg.startsWith('--traced='));
const traced = tracedArg !== undefined;
const samplingRatio = tracedArg?.includes('=') ? Number(tracedArg.split('=')[1]) : 1;

/** How long the bench watches the stack's CPU with nothing to do. */
const IDLE_SECONDS = 5;
/**
 * The pause after each order of the spaced series: an order's notifications and timeline entries are written within
 * some 50 ms of its PAID (traces), so the next one runs alone.
 */
const SPACED_MS = 250;

const percentile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

function summary(label: string, samples: number[]) {
  samples.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(44)} p50 ${percentile(samples, 0.5).toFixed(1).padStart(6)} ms  p99 ${percentile(samples, 0.99).toFixed(1).padStart(6)} ms`,
  );
}

/**
 * CPU time (/proc) of each process from now until `report`, divided by `per` (orders, or seconds): where a saga's
 * work goes on this machine, the bench's own share included (the gateway, the dev broker and its Kafka watch).
 */
function cpuSnapshot(processes: readonly (readonly [string, number | undefined])[]) {
  const running = processes.flatMap(([name, pid]) =>
    pid === undefined ? [] : [{ name, pid, from: cpuMs(pid) }],
  );
  return {
    report(label: string, per: number) {
      const used = running
        .map(({ name, pid, from }) => ({ name, ms: (cpuMs(pid) - from) / per }))
        .filter(({ ms }) => ms >= 0.5)
        .sort((a, b) => b.ms - a.ms);
      const all = used.reduce((sum, { ms }) => sum + ms, 0);
      console.log(`${label}, ${all.toFixed(0)} ms in all:`);
      for (const { name, ms } of used) console.log(`  ${name.padEnd(46)} ${ms.toFixed(1).padStart(6)} ms`);
    },
  };
}

/** The hops of each order's path (placed, reserved, paid) as the watch saw them, by label. */
async function hopsOf(watch: KafkaWatch, ids: readonly string[]): Promise<Map<string, number[]>> {
  // The saga's path: each event causes the next (reserve-inventory, then capture-payment, which stores the order's
  // PAID with its charge: com.ecom.payment.captured is written with order.paid).
  const path = ['com.ecom.order.placed', 'com.ecom.inventory.reserved', 'com.ecom.order.paid'];
  const hops = new Map<string, number[]>();
  const add = (label: string, ms: number) => hops.set(label, [...(hops.get(label) ?? []), ms]);
  const pathOf = (id: string) =>
    path.flatMap((type) => watch.of(id).find((seen) => seen.type === type) ?? []);
  for (const id of ids) {
    let seen = pathOf(id);
    for (let waited = 0; seen.length < path.length && waited < 5000; waited += 20) {
      await sleep(20);
      seen = pathOf(id);
    }
    const [placed, reserved, paid] = seen;
    if (!placed || !reserved || !paid || seen.length < path.length)
      throw new Error(`order ${id}: not every event of its saga was seen`);
    const short = (type: string) => type.replace('com.ecom.', '');
    seen.forEach((event, i) => {
      add(`  ${short(event.type)}: written -> on Kafka`, event.read - event.written);
      const next = seen[i + 1];
      if (next)
        add(`  ${short(event.type)}: on Kafka -> ${short(next.type)} written`, next.written - event.read);
    });
    add('  placed -> stock reserved (inventory.reserved written)', reserved.written - placed.written);
    add('  stock reserved -> PAID (order.paid written)', paid.written - reserved.written);
    add('  placed -> PAID', paid.written - placed.written);
    // The step's time is taken before it is stored: this is when PAID had been committed and told.
    add('  placed -> order.paid on Kafka', paid.read - placed.written);
  }
  return hops;
}

async function main(): Promise<void> {
  const { stack, stop } = await startBenchStack(
    'bench_order',
    traced ? { tracing: { zipkinSpansEndpoint: infraEnv.zipkin.spansEndpoint, samplingRatio } } : {},
  );
  console.log(
    traced ? `tracing on: ${String(samplingRatio * 100)}% of requests traced into Zipkin` : 'tracing off',
  );
  try {
    const gw = stack.gateway.url;
    const json = { 'content-type': 'application/json' };
    const post = (route: string, body: unknown, token?: string) =>
      stack.gateway.fetch(`${gw}${route}`, {
        method: 'POST',
        headers: { ...json, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const get = async (route: string, token: string) =>
      (await (
        await stack.gateway.fetch(`${gw}${route}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as Record<string, unknown>;
    const tokenOf = async (email: string, password: string) =>
      ((await (await post('/v1/auth/login', { email, password })).json()) as { accessToken: string })
        .accessToken;

    const admin = await tokenOf('admin@shop.local', DEV_ADMIN_PASSWORD);
    const email = `bench-${String(Date.now())}@example.com`;
    await (
      await post('/v1/auth/register', { email, password: 'order bench password', name: 'Bench' })
    ).arrayBuffer();
    const customer = await tokenOf(email, 'order bench password');
    const created = (await (
      await post(
        '/v1/products',
        {
          sku: `BENCH-${String(Date.now())}`,
          name: 'Bench mug',
          price: { amount: 1200, currency: 'USD' },
          status: 'active',
        },
        admin,
      )
    ).json()) as { id: string };
    await (
      await post(
        `/v1/products/${created.id}/inventory/adjustments`,
        { delta: 100_000, reason: 'restock' },
        admin,
      )
    ).arrayBuffer();
    const order = {
      items: [{ productId: created.id, quantity: 1 }],
      shippingAddress: {
        name: 'Bench',
        line1: '1 Main St',
        city: 'Berlin',
        postalCode: '10115',
        country: 'DE',
      },
      paymentToken: 'tok_visa',
    };
    const place = () => post('/v1/orders', order, customer);

    // Warm every function on the path: 20 orders, through to PAID.
    for (let i = 0; i < 20; i++) await (await place()).arrayBuffer();
    await sleep(3000);
    const processes = [
      ...stack.functions.map((fn) => [fn.definition.name, fn.pid()] as const),
      ['MariaDB', mariadbPid()],
      ['Kafka', pidOf('kafka.Kafka')],
      ['Cassandra', pidOf('org.apache.cassandra.service.CassandraDaemon')],
      ['Zipkin', pidOf('zipkin')],
      ['bench process (gateway, dev broker, clients)', process.pid],
    ] as const;

    await measure(`place-order via gateway, ${String(clients)} clients`, orders, clients, place);
    // Every saga of those orders runs to PAID before single orders are timed, so none waits behind that backlog.
    const drainStarted = performance.now();
    const paid = async () =>
      ((await get('/v1/orders?status=PAID&pageSize=1', customer)) as { total: number }).total;
    while ((await paid()) < orders + 20) await sleep(250);
    console.log(
      `the ${String(orders)} orders' sagas drained to PAID ${((performance.now() - drainStarted) / 1000).toFixed(1)} s after the last was placed`,
    );

    // One order at a time, each followed to PAID: the hops from its events as Kafka carried them. Two series:
    // back to back (the next order placed as soon as the last is PAID on Kafka, while its notifications and timeline
    // entries are still being written on the same two cores), and spaced (the next placed SPACED_MS later, that work
    // done): an order's own latency, as a shop sees it when orders do not arrive every few milliseconds.
    const watch = await watchKafka(loadConfig(KafkaEnv).KAFKA_BROKERS, EVENTS_TOPIC);
    const follow = async (label: string, gapMs: number) => {
      const cpu = cpuSnapshot(processes);
      const ids: string[] = [];
      for (let i = 0; i < sagas; i++) {
        const { id } = (await (await place()).json()) as { id: string };
        ids.push(id);
        // Its end as Kafka carries it, not polled through the API: those reads took the cores the saga runs on.
        const end = await watch.first(id, ['com.ecom.order.paid', 'com.ecom.order.cancelled'], 30_000);
        if (end.type !== 'com.ecom.order.paid') throw new Error(`order ${id} was cancelled`);
        if (gapMs > 0) await sleep(gapMs);
      }
      // The spaced series' figure includes the stack's idle CPU over its pauses (the idle figure below, a second).
      cpu.report(`CPU per order over those ${String(sagas)} orders, ${label}`, sagas);
      console.log(
        `order.placed -> PAID, ${String(sagas)} orders one at a time, ${label}, every function warm:`,
      );
      for (const [hop, samples] of await hopsOf(watch, ids)) summary(hop, samples);
    };
    await follow('back to back', 0);
    await follow(`spaced ${String(SPACED_MS)} ms apart`, SPACED_MS);
    await watch.stop();
    // What the stack takes with nothing to do, warm, once the last order's events are handled: the background each
    // order runs beside.
    await sleep(2000);
    const idle = cpuSnapshot(processes);
    await sleep(IDLE_SECONDS * 1000);
    idle.report(`CPU a second with no order in flight (over ${String(IDLE_SECONDS)} s)`, IDLE_SECONDS);
  } finally {
    await stop();
  }
}

runBench(main);
