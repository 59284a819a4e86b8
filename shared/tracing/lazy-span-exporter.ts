import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * A span exporter that loads the real one (its HTTP client, its encoders) at its first export. The batch processor
 * exports seconds after the first spans end, so a function with tracing on still loads no exporter code before its
 * first answer; and a function that never ends a span never loads it at all.
 */
export class LazySpanExporter implements SpanExporter {
  private loading: Promise<SpanExporter> | undefined;

  constructor(private readonly load: () => Promise<SpanExporter>) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exporter().then(
      (exporter) => {
        exporter.export(spans, resultCallback);
      },
      (error: unknown) => {
        // A module that failed to load will fail again: these spans are dropped, as when a collector is down.
        resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : undefined });
      },
    );
  }

  async forceFlush(): Promise<void> {
    // Nothing was ever exported when nothing loaded it: there is nothing to flush.
    if (this.loading) await (await this.loading).forceFlush?.();
  }

  async shutdown(): Promise<void> {
    if (this.loading) await (await this.loading).shutdown();
  }

  private exporter(): Promise<SpanExporter> {
    return (this.loading ??= this.load());
  }
}
