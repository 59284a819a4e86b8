import type { ExportResult } from '@opentelemetry/core';
import type { IOtlpExportDelegate } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import { JsonMetricsSerializer, MetricsExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import {
  AggregationTemporality,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** The semantic conventions' `otel.component.type` of an OTLP/HTTP metric exporter. */
const COMPONENT_TYPE = 'otlp_http_metric_exporter';

/**
 * OTLP over HTTP with JSON bodies, cumulative: what @opentelemetry/exporter-metrics-otlp-http's OTLPMetricExporter
 * does on Node, over the same two packages the traces exporter uses (that package has no release matching them, and
 * an older one would bring a second copy of the SDK). Headers, timeout and compression follow the standard
 * OTEL_EXPORTER_OTLP_* variables; the URL is the plan's (metrics-env.ts). Export failures are retried with backoff
 * by the delegate, then dropped: metrics never hold up a request. In a module of its own, bundled into a file of its
 * own (dev/bundle.ts), that metrics-sdk.ts loads at the first export, one interval after the start.
 */
export class OtlpJsonMetricExporter implements PushMetricExporter {
  private readonly delegate: IOtlpExportDelegate<ResourceMetrics>;

  constructor(url: string) {
    this.delegate = createOtlpHttpExportDelegate(
      // Deprecated for the 2.0 of these packages, whose replacement is not public yet; the OTLP exporters of this
      // release (OTLPTraceExporter, OTLPMetricExporter) read the OTEL_EXPORTER_OTLP_* settings through it too.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      convertLegacyHttpOptions({ url }, 'METRICS', 'v1/metrics', { 'Content-Type': 'application/json' }),
      JsonMetricsSerializer,
      COMPONENT_TYPE,
      MetricsExporterMetricsHelper,
      // No meter provider: the exporter does not measure itself.
      undefined,
    );
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.delegate.export(metrics, resultCallback);
  }

  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.CUMULATIVE;
  }

  forceFlush(): Promise<void> {
    return this.delegate.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.delegate.shutdown();
  }
}
