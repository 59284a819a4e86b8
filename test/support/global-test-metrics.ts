import { metrics } from '@opentelemetry/api';
import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';

/** A reader that exports nothing: a test collects from it when it wants to look. */
class CollectingReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }

  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** One data point as a test reads it: its attributes and its value (a number, or a histogram's count and sum). */
export interface TestPoint {
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly value: number | Histogram;
}

/**
 * Metrics as a function registers them when on (a global MeterProvider, start-metrics.ts), read in memory. It is
 * global state: a file's tests that use it run one at a time. Each `on()` registers a fresh provider, so a test
 * sees only what it recorded itself (shared/metrics/meter.ts makes instruments again for a new provider).
 */
export function globalTestMetrics() {
  let current: { provider: MeterProvider; reader: CollectingReader } | undefined;
  const off = async () => {
    metrics.disable();
    await current?.provider.shutdown();
    current = undefined;
  };
  return {
    on: async () => {
      await off();
      const reader = new CollectingReader();
      current = { provider: new MeterProvider({ readers: [reader] }), reader };
      metrics.setGlobalMeterProvider(current.provider);
    },
    off,
    /** Every metric recorded since `on()`, by name. */
    async collect(): Promise<ReadonlyMap<string, MetricData>> {
      if (!current) throw new Error('metrics are off');
      const { resourceMetrics, errors } = await current.reader.collect();
      if (errors.length > 0) throw new Error(`collection failed: ${String(errors[0])}`);
      return new Map(
        resourceMetrics.scopeMetrics
          .flatMap((scope) => scope.metrics)
          .map((metric) => [metric.descriptor.name, metric]),
      );
    },
    /** The data points of metric `name` since `on()`; none when it recorded nothing. */
    async points(name: string): Promise<TestPoint[]> {
      const metric = (await this.collect()).get(name);
      if (!metric) return [];
      return (metric.dataPoints as DataPoint<number | Histogram>[]).map((point) => ({
        attributes: point.attributes,
        value: point.value,
      }));
    },
  };
}
