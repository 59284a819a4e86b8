// A concurrency sweep of one instance, and its knee: what bench/capacity.ts measures per function.

/** One request of a scenario from client `client`: true when it got the answer that means the work was done. */
export type Send = (client: number) => Promise<boolean>;

/** What one step of the sweep gave. */
export interface Step {
  readonly concurrency: number;
  /** Requests a second that were answered as expected. */
  readonly throughput: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  /** Answers that were not the expected one (they count in neither the throughput nor the latencies). */
  readonly unexpected: number;
}

export const SWEEP = [1, 2, 4, 8, 16, 32, 64] as const;

/** Runs `send` from `concurrency` clients for `seconds`, each client sending its next request once answered. */
export async function runStep(send: Send, concurrency: number, seconds: number): Promise<Step> {
  const samples: number[] = [];
  let unexpected = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        if (await send(client)) samples.push(performance.now() - t0);
        else unexpected++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return {
    concurrency,
    throughput: samples.length / elapsed,
    medianMs: at(0.5),
    p99Ms: at(0.99),
    unexpected,
  };
}

/**
 * The knee: the fewest concurrent requests whose throughput is within 10% of the best step's under `boundMs` (p99),
 * itself under the bound. Past it, more concurrency only queues in the event loop: the same throughput, a longer
 * wait. When no step is under the bound, the first step (1 client).
 */
export function kneeOf(steps: readonly Step[], boundMs: number): Step {
  // Only steps within the latency bound count, for the best throughput too: a step past the bound is not a load
  // the instance serves, and taking its throughput as the best would push the knee to where latency has exploded.
  const withinBound = steps.filter((step) => step.p99Ms <= boundMs && step.throughput > 0);
  const best = Math.max(...withinBound.map((step) => step.throughput));
  const knee = withinBound.find((step) => step.throughput >= 0.9 * best);
  return knee ?? steps[0] ?? { concurrency: 1, throughput: 0, medianMs: 0, p99Ms: 0, unexpected: 0 };
}
