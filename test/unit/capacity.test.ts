import test from 'ava';
import { parseAllDocuments } from 'yaml';
import { kneeOf, SWEEP, type Step } from '../../bench/support/capacity-sweep';
import { loadDefinitions, renderAll } from '../../dev/deploy/render-all';
import { functionFile } from '../../dev/deploy/render-knative';
import {
  scalingOf,
  UNMEASURED,
  UNMEASURED_CONCURRENCY,
  type MeasuredCapacity,
} from '../../shared/runtime/function-definition';

const definitions = loadDefinitions();
const files = renderAll(definitions);

interface KnativeService {
  kind: string;
  spec?: {
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec?: { containerConcurrency?: number };
    };
  };
}

function knativeServiceOf(name: string): KnativeService | undefined {
  const content = files.find((file) => file.path === functionFile(name))?.content ?? '';
  return parseAllDocuments(content)
    .map((document) => document.toJS() as KnativeService)
    .find((manifest) => manifest.kind === 'Service');
}

test('every function declares its capacity: measured by bench/capacity.ts, or one at a time by its schedule', (t) => {
  for (const { name, trigger, capacity, scaling } of definitions) {
    if (trigger.kind === 'schedule') {
      t.true('byConstruction' in capacity, `${name} runs one at a time by construction`);
      t.is(scaling.containerConcurrency, 1, name);
      continue;
    }
    if (!('measuredBy' in capacity)) {
      t.fail(
        `${name} has no measured capacity: run \`npm run build && npx tsx bench/capacity.ts --only ${name}\` and declare its summary line as \`capacity\``,
      );
      continue;
    }
    const measured: MeasuredCapacity = capacity;
    t.regex(measured.measuredBy, /^(npm run node24 -- )?npx tsx bench\/capacity\.ts\b/, name);
    const only = /--only (\S+)/.exec(measured.measuredBy)?.[1]?.split(',');
    t.true(only === undefined || only.includes(name), `${name}: ${measured.measuredBy} does not measure it`);
    t.regex(measured.measuredOn, /^\d{4}-\d{2}-\d{2}$/, name);
    t.false(Number.isNaN(Date.parse(measured.measuredOn)), name);
    t.true((SWEEP as readonly number[]).includes(measured.concurrency), `${name}: a step of the sweep`);
    t.true(measured.throughput > 0 && measured.p99Ms > 0, name);
  }
});

test("each Knative Service's containerConcurrency is its measured knee, and its target 70% of it, at least 1", (t) => {
  for (const { name, capacity } of definitions) {
    const template = knativeServiceOf(name)?.spec?.template;
    const concurrency = 'unmeasured' in capacity ? UNMEASURED_CONCURRENCY : capacity.concurrency;
    t.is(template?.spec?.containerConcurrency, concurrency, name);
    const annotations = template?.metadata?.annotations ?? {};
    t.is(
      annotations['autoscaling.knative.dev/target'],
      String(Math.max(1, Math.floor(concurrency * 0.7))),
      name,
    );
    // Knative would otherwise take its default 70% off the target a second time.
    t.is(annotations['autoscaling.knative.dev/target-utilization-percentage'], '100', name);
  }
});

test('scalingOf derives concurrency and target from the capacity, and keeps what the declaration states', (t) => {
  const measured = (concurrency: number) => ({
    concurrency,
    throughput: 100,
    p99Ms: 10,
    measuredBy: 'npx tsx bench/capacity.ts --only x',
    measuredOn: '2026-12-02',
  });
  const pairs = [1, 2, 4, 8, 16, 64].map((knee) => {
    const { containerConcurrency, target } = scalingOf(measured(knee));
    return [containerConcurrency, target];
  });
  t.deepEqual(pairs, [
    [1, 1],
    [2, 1],
    [4, 2],
    [8, 5],
    [16, 11],
    [64, 44],
  ]);
  t.like(scalingOf({ concurrency: 1, byConstruction: 'a lock' }, { maxScale: 1 }), {
    minScale: 0,
    maxScale: 1,
    containerConcurrency: 1,
    target: 1,
    timeoutSeconds: 30,
  });
  t.like(scalingOf(UNMEASURED, { maxScale: 3, timeoutSeconds: 10 }), {
    maxScale: 3,
    timeoutSeconds: 10,
    containerConcurrency: UNMEASURED_CONCURRENCY,
  });
});

test('a function that sizes its pool declares it as its containerConcurrency: one connection per request in flight', (t) => {
  for (const { name, uses, scaling } of definitions) {
    if (typeof uses.database !== 'object') continue;
    t.is(uses.database.pool, scaling.containerConcurrency, name);
  }
});

test('the knee is the fewest clients within 10% of the best throughput with p99 under the bound', (t) => {
  const step = (concurrency: number, throughput: number, p99Ms: number): Step => ({
    concurrency,
    throughput,
    medianMs: p99Ms / 2,
    p99Ms,
    unexpected: 0,
  });
  const sweep = [step(1, 50, 5), step(2, 95, 8), step(4, 100, 20), step(8, 98, 700)];
  t.is(kneeOf(sweep, 500).concurrency, 2);
  // A step past the bound does not count as the best: the knee is near the best step under the bound.
  t.is(kneeOf([step(1, 40, 100), step(2, 60, 450), step(4, 100, 900)], 500).concurrency, 2);
  t.is(
    kneeOf([step(1, 50, 20), step(8, 124, 108), step(32, 127, 313), step(64, 147, 552)], 500).concurrency,
    8,
  );
  t.is(kneeOf([step(1, 40, 900)], 500).concurrency, 1);
});
