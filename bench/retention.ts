// What the outbox relay's deletion of expired rows (shared/kit/retention.ts) costs on real MariaDB: how long a relay
// run takes on a backlog, and what the writers of the saga's path see meanwhile. A service database is seeded with
// `rows` processed-event records and `rows` outbox rows, half of each past its retention; then, for the same length
// of time each, a writer loop (a consumer's event record, and an outbox row appended in a transaction and marked
// published, as a saga step does) runs alone and beside relay runs that delete the backlog, each within the relay's
// 10 s budget, one after another (the relay runs every 5 minutes).
// Needs `npm run infra:up` (MariaDB).
// Run: npx tsx bench/retention.ts [rows=200000]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { QueryTypes, type Sequelize } from 'sequelize';
import { MysqlEnv } from '../shared/config/env-schemas';
import { loadConfig } from '../shared/config/load-config';
import { recordConsumed } from '../shared/idempotency/consume-once';
import { processedEventsMigrations } from '../shared/idempotency/processed-events-migration';
import {
  deleteExpiredRows,
  expiringRowsOf,
  PROCESSED_EVENTS_DAYS,
  PUBLISHED_OUTBOX_DAYS,
} from '../shared/kit/retention';
import { appendToOutbox } from '../shared/outbox/append-to-outbox';
import { outboxMigrations } from '../shared/outbox/outbox-migration';
import { createSequelize, ensureDatabase } from '../shared/sql/create-sequelize';
import { inTransaction } from '../shared/sql/in-transaction';
import { migrate } from '../shared/sql/migrate';
import type { SqlTarget } from '../shared/sql/sql-target';
import { runBench } from './support/run-bench';

const rows = Number(process.argv[2] ?? 200_000);
/** An event's data as the saga's are, about half a kilobyte. */
const DATA = JSON.stringify({ padding: 'x'.repeat(480) });

const percentile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Half the rows of each table past their retention, half within it; MariaDB's sequence engine makes them. */
async function seed(sequelize: Sequelize): Promise<void> {
  const half = Math.floor(rows / 2);
  for (const [daysAgo, from] of [
    [PROCESSED_EVENTS_DAYS + 1, 0],
    [1, half],
  ] as const) {
    await sequelize.query(
      `INSERT INTO processed_events (consumer, event_id, processed_at)
       SELECT 'notify', CONCAT('seed-', seq + :from), UTC_TIMESTAMP(3) - INTERVAL :daysAgo DAY FROM seq_1_to_${String(half)}`,
      { replacements: { from, daysAgo } },
    );
  }
  for (const daysAgo of [PUBLISHED_OUTBOX_DAYS + 1, 1]) {
    await sequelize.query(
      `INSERT INTO outbox_events (id, type, source, subject, partition_key, time, data, published_at)
       SELECT UUID(), 'com.ecom.order.placed', '/ecom/order/bench', CONCAT('o-', seq), CONCAT('o-', seq),
         UTC_TIMESTAMP(3) - INTERVAL :daysAgo DAY, :data, UTC_TIMESTAMP(3) - INTERVAL :daysAgo DAY
       FROM seq_1_to_${String(half)}`,
      { replacements: { daysAgo, data: DATA } },
    );
  }
}

/** One saga step's writes: a consumer's event record, then an outbox row appended and marked published. */
async function step(sequelize: Sequelize): Promise<void> {
  await recordConsumed(sequelize, 'notify', randomUUID());
  const orderId = randomUUID();
  const appended = await inTransaction(sequelize, (transaction) =>
    appendToOutbox(sequelize, transaction, [
      {
        type: 'com.ecom.order.placed',
        source: '/ecom/order/bench',
        subject: orderId,
        partitionKey: orderId,
        data: {},
      },
    ]),
  );
  await sequelize.query('UPDATE outbox_events SET published_at = UTC_TIMESTAMP(3) WHERE id IN (:ids)', {
    replacements: { ids: appended.map((event) => event.id) },
  });
}

/** Runs steps one after another until `done` resolves: each step's latency in ms. */
async function writeUntil(sequelize: Sequelize, done: Promise<unknown>): Promise<number[]> {
  const state = { finished: false };
  void done.finally(() => {
    state.finished = true;
  });
  const latencies: number[] = [];
  while (!state.finished) {
    const started = performance.now();
    await step(sequelize);
    latencies.push(performance.now() - started);
  }
  return latencies.sort((a, b) => a - b);
}

function printWrites(label: string, latencies: readonly number[], ms: number): void {
  console.log(
    `${label.padEnd(34)} ${String(latencies.length).padStart(6)} steps in ${(ms / 1000).toFixed(1)} s  p50 ${percentile(latencies, 0.5).toFixed(2)} ms  p99 ${percentile(latencies, 0.99).toFixed(2)} ms  max ${(latencies.at(-1) ?? 0).toFixed(1)} ms`,
  );
}

async function count(sequelize: Sequelize, table: string): Promise<number> {
  const [row] = await sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`, {
    type: QueryTypes.SELECT,
  });
  return Number(row?.n);
}

async function main(): Promise<void> {
  const env = loadConfig(MysqlEnv);
  const target: SqlTarget = {
    dialect: 'mysql',
    host: env.MYSQL_HOST,
    port: env.MYSQL_PORT,
    user: env.MYSQL_USER,
    password: env.MYSQL_PASSWORD,
    database: `bench_retention_${randomUUID().slice(0, 8)}`,
  };
  await ensureDatabase(target);
  const sequelize = await createSequelize(target);
  try {
    await migrate(sequelize, [...outboxMigrations, ...processedEventsMigrations]);
    const seeding = performance.now();
    await seed(sequelize);
    console.log(
      `seeded ${String(rows)} event records and ${String(rows)} outbox rows, half of each expired, in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
    );

    // The relay runs first, on their own, as they would on a quiet database: how long each takes.
    const runs: { ms: number; deleted: Record<string, number> }[] = [];
    const relayRuns = (async () => {
      for (;;) {
        const started = performance.now();
        const deleted = await deleteExpiredRows(sequelize, expiringRowsOf(), new Date());
        runs.push({ ms: performance.now() - started, deleted });
        if (Object.values(deleted).every((n) => n === 0)) return;
      }
    })();
    const started = performance.now();
    const beside = await writeUntil(sequelize, relayRuns);
    const deletingMs = performance.now() - started;
    const baseline = await writeUntil(sequelize, new Promise((resolve) => setTimeout(resolve, deletingMs)));

    const deleted = runs.reduce((sum, run) => sum + Object.values(run.deleted).reduce((a, b) => a + b, 0), 0);
    const working = runs.filter((run) => Object.values(run.deleted).some((n) => n > 0));
    console.log(
      `relay runs: ${String(working.length)} deleted ${String(deleted)} rows in ${(deletingMs / 1000).toFixed(1)} s (${(deleted / (deletingMs / 1000)).toFixed(0)} rows/s); each run: ${working.map((run) => `${String(Object.values(run.deleted).reduce((a, b) => a + b, 0))} rows in ${(run.ms / 1000).toFixed(1)} s`).join(', ')}`,
    );
    console.log(
      `left: ${String(await count(sequelize, 'processed_events'))} event records, ${String(await count(sequelize, 'outbox_events'))} outbox rows (the unexpired half and the steps')`,
    );
    printWrites('saga steps beside the relay runs', beside, deletingMs);
    printWrites('saga steps alone, as long', baseline, deletingMs);
  } finally {
    await sequelize.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
    await sequelize.close();
  }
}

runBench(main);
