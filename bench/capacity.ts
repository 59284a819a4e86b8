// Per-instance capacity of each function: one instance from its bundle, driven straight on its own port (not through
// the dev gateway, which would be the bottleneck) with its representative request (bench/support/
// capacity-scenarios.ts), against real MariaDB, Kafka and Cassandra. A concurrency sweep of 1 to 64 clients after a
// warm-up gives throughput and p99 per step; the capacity is the knee (bench/support/capacity-sweep.ts). Prints a
// table per function and, at the end, the line to paste into each declaration's `capacity`.
// Functions run by a schedule run one at a time by design (a lock): their capacity is 1 by construction.
// Needs `npm run build` and `npm run infra:up`.
// Run: npx tsx bench/capacity.ts [--only a,b] [--step-seconds 2] [--warm-up-seconds 2] [--bound-ms 500]
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Fixtures, SCENARIOS } from './support/capacity-scenarios';
import { startCapacityStack } from './support/capacity-stack';
import { kneeOf, runStep, SWEEP, type Step } from './support/capacity-sweep';
import { runBench } from './support/run-bench';

const { values: options } = parseArgs({
  options: {
    only: { type: 'string' },
    'step-seconds': { type: 'string', default: '2' },
    'warm-up-seconds': { type: 'string', default: '2' },
    'bound-ms': { type: 'string', default: '500' },
  },
});
const stepSeconds = Number(options['step-seconds']);
const warmUpSeconds = Number(options['warm-up-seconds']);
const boundMs = Number(options['bound-ms']);

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function printTable(name: string, request: string, steps: readonly Step[], knee: Step): void {
  console.log(`\n${name}: ${request}`);
  console.log('clients   req/s   median ms   p99 ms   unexpected');
  for (const step of steps) {
    console.log(
      `${String(step.concurrency).padStart(7)} ${fixed(step.throughput, 0).padStart(7)} ${fixed(step.medianMs).padStart(11)} ${fixed(step.p99Ms).padStart(8)} ${String(step.unexpected).padStart(12)}${step === knee ? '   <- knee' : ''}`,
    );
  }
}

async function main(): Promise<void> {
  // The command that measured, as a declaration quotes it: on Node 24 (the images' Node) through `npm run node24`,
  // with the options that set the steps; `--only` is per declaration.
  const onImagesNode = Number(process.versions.node.split('.')[0]) >= 24;
  const settings = (['step-seconds', 'warm-up-seconds', 'bound-ms'] as const)
    .filter((name) => process.argv.some((arg) => arg.startsWith(`--${name}`)))
    .map((name) => ` --${name} ${options[name]}`)
    .join('');
  const command = `${onImagesNode ? 'npm run node24 -- ' : ''}npx tsx bench/capacity.ts${settings}`;
  const measuredOn = new Date().toISOString().slice(0, 10);
  console.log(
    `${new Date().toISOString()}  Node ${process.version}  ${String(availableParallelism())} cores`,
  );
  console.log(
    `${command}  (steps of ${String(stepSeconds)} s after ${String(warmUpSeconds)} s of warm-up at 4 clients; knee: the fewest clients within 10% of the best throughput with p99 <= ${String(boundMs)} ms)`,
  );
  const stack = await startCapacityStack();
  const fixtures = new Fixtures(stack);
  const only = options.only?.split(',').map((name) => name.trim());
  const chosen = stack.definitions.filter((definition) => !only || only.includes(definition.name));
  const unknown = (only ?? []).filter((name) => !stack.definitions.some((d) => d.name === name));
  if (unknown.length > 0) throw new Error(`no function named ${unknown.join(', ')}`);
  const summary: string[] = [];
  try {
    for (const definition of chosen) {
      const { name } = definition;
      if (definition.trigger.kind === 'schedule') {
        summary.push(`${name.padEnd(24)} 1 by construction (run by a schedule, one at a time)`);
        continue;
      }
      const scenario = SCENARIOS[name];
      if (!scenario) {
        throw new Error(
          `${name} has no representative request: add one to bench/support/capacity-scenarios.ts`,
        );
      }
      const send = await scenario.prepare(fixtures);
      await runStep(send, 4, warmUpSeconds); // JIT, pools, the first Kafka connection
      const steps: Step[] = [];
      for (const concurrency of SWEEP) steps.push(await runStep(send, concurrency, stepSeconds));
      const knee = kneeOf(steps, boundMs);
      printTable(name, scenario.request, steps, knee);
      summary.push(
        `${name.padEnd(24)} { concurrency: ${String(knee.concurrency)}, throughput: ${fixed(knee.throughput, 0)}, p99Ms: ${fixed(knee.p99Ms)}, measuredBy: '${command} --only ${name}', measuredOn: '${measuredOn}' }${knee.unexpected > 0 ? `  (${String(knee.unexpected)} unexpected answers at the knee)` : ''}`,
      );
      await stack.release(name);
    }
  } finally {
    await stack.stop();
  }
  console.log('\nsummary (capacity of each declaration):');
  for (const line of summary) console.log(line);
}

runBench(main);
