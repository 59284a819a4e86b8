import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/**
 * A metric exporter that loads the real one (its HTTP client, its encoders) at its first export, one export
 * interval after the start: a function with metrics on still loads no exporter code before its first answer.
 * Cumulative, as the OTLP exporter is by default: a collector or Prometheus reads totals since the process started.
 */
export class LazyMetricExporter implements PushMetricExporter {
  private loading: Promise<PushMetricExporter> | undefined;

  constructor(private readonly load: () => Promise<PushMetricExporter>) {}

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.exporter().then(
      (exporter) => {
        exporter.export(metrics, resultCallback);
      },
      (error: unknown) => {
        // A module that failed to load will fail again: these points are dropped, as when a collector is down.
        resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : undefined });
      },
    );
  }

  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.CUMULATIVE;
  }

  async forceFlush(): Promise<void> {
    // Nothing was ever exported when nothing loaded it: there is nothing to flush.
    if (this.loading) await (await this.loading).forceFlush();
  }

  async shutdown(): Promise<void> {
    if (this.loading) await (await this.loading).shutdown();
  }

  private exporter(): Promise<PushMetricExporter> {
    return (this.loading ??= this.load());
  }
}
