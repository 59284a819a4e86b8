// Times one argon2id hash and one verify with the parameters of shared/auth/password.ts, and how much memory
// they take. Run: npx tsx bench/argon2-hash.ts [runs=30] [burst=8]
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  ARGON2_MEMORY_COST_KIB,
  ARGON2_PARALLELISM,
  ARGON2_TIME_COST,
  hashPassword,
  verifyPassword,
  verifyPasswordOrDummy,
} from '../shared/auth/password';

const runs = Number(process.argv[2] ?? 30);
const burst = Number(process.argv[3] ?? 8);
const password = 'correct horse battery staple';
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

// The hash runs on the libuv pool, so the event loop is free to sample RSS while it works.
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 1);

async function time(label: string, operation: () => Promise<unknown>): Promise<void> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    await operation();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = percentile(samples, 50).toFixed(1);
  const p99 = percentile(samples, 99).toFixed(1);
  const min = (samples[0] ?? Number.NaN).toFixed(1);
  console.log(`${label.padEnd(28)} median ${median} ms  p99 ${p99} ms  min ${min} ms  (${runs} runs)`);
}

async function main(): Promise<void> {
  console.log(
    `argon2id m=${ARGON2_MEMORY_COST_KIB} KiB t=${ARGON2_TIME_COST} p=${ARGON2_PARALLELISM}; node ${process.version}, ` +
      `${availableParallelism()} CPUs, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
  );
  const rssBefore = process.memoryUsage.rss();

  let start = performance.now();
  const stored = await hashPassword(password);
  console.log(`first hash (cold)            ${(performance.now() - start).toFixed(1)} ms`);

  await time('hash', () => hashPassword(password));
  await time('verify (right password)', () => verifyPassword(stored, password));
  await time('verify (wrong password)', () => verifyPassword(stored, 'wrong password here'));
  await time('verifyPasswordOrDummy (none)', () => verifyPasswordOrDummy(undefined, password));
  const rssSequential = process.memoryUsage.rss();
  const peakSequential = peakRss;

  start = performance.now();
  await Promise.all(Array.from({ length: burst }, () => hashPassword(password)));
  const burstMs = performance.now() - start;
  clearInterval(sampler);

  console.log(`${burst} hashes at once              ${burstMs.toFixed(1)} ms in all`);
  console.log(
    `RSS: before ${mib(rssBefore)}, after sequential runs ${mib(rssSequential)} ` +
      `(+${mib(rssSequential - rssBefore)}, peak +${mib(peakSequential - rssBefore)}), ` +
      `peak during the burst +${mib(peakRss - rssBefore)}`,
  );
}

void main();
