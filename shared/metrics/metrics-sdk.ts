import { randomUUID } from 'node:crypto';
import { metrics } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { LazyMetricExporter } from './lazy-metric-exporter';
import type { MetricsPlan } from './metrics-env';

/**
 * The SDK side of start-metrics.ts, in its own module so that only a function with metrics on loads it (and the SDK
 * modules it imports): start-metrics.ts imports it with `import()`, which the build turns into a require of
 * `metrics-sdk.js` beside the function's bundle (dev/bundle.ts, APART_MODULES).
 *
 * @returns the registered provider's shutdown (a final collection and export).
 */
export function startMetricsSdk(
  plan: MetricsPlan,
  names: { readonly functionName: string; readonly serviceName: string },
): { shutdown(): Promise<void> } {
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': plan.serviceName,
      // The service a function belongs to (user, product, order), so a dashboard can group its functions.
      'service.namespace': names.serviceName,
      'faas.name': names.functionName,
      // Cumulative sums restart with each process: every pod must be a series of its own, or two pods' totals
      // would read as one counter going up and down.
      'service.instance.id': randomUUID(),
    }),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new LazyMetricExporter(async () => {
          const { OtlpJsonMetricExporter } = await import('./metric-exporter');
          return new OtlpJsonMetricExporter(plan.endpoint);
        }),
        exportIntervalMillis: plan.intervalMs,
      }),
    ],
  });
  metrics.setGlobalMeterProvider(provider);
  return provider;
}
