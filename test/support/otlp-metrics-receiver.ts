import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An OTLP attribute as the JSON encoding spells it. */
interface OtlpAttribute {
  readonly key: string;
  readonly value: {
    readonly stringValue?: string;
    readonly intValue?: number | string;
    readonly doubleValue?: number;
    readonly boolValue?: boolean;
  };
}

interface OtlpPoint {
  readonly attributes?: readonly OtlpAttribute[];
  readonly asInt?: number | string;
  readonly asDouble?: number;
  readonly count?: number | string;
  readonly sum?: number;
}

interface OtlpMetric {
  readonly name: string;
  readonly unit?: string;
  readonly sum?: { readonly dataPoints: readonly OtlpPoint[]; readonly aggregationTemporality?: number };
  readonly gauge?: { readonly dataPoints: readonly OtlpPoint[] };
  readonly histogram?: {
    readonly dataPoints: readonly OtlpPoint[];
    readonly aggregationTemporality?: number;
  };
}

interface OtlpRequest {
  readonly resourceMetrics: readonly {
    readonly resource?: { readonly attributes?: readonly OtlpAttribute[] };
    readonly scopeMetrics: readonly {
      readonly scope?: { readonly name?: string };
      readonly metrics: readonly OtlpMetric[];
    }[];
  }[];
}

/** One data point as a test reads it: attributes as plain values, a sum's or gauge's value, a histogram's count. */
export interface ReceivedPoint {
  readonly metric: string;
  readonly unit: string | undefined;
  readonly kind: 'sum' | 'gauge' | 'histogram';
  readonly resource: Readonly<Record<string, unknown>>;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly value: number;
  /** Histograms only. */
  readonly sum?: number;
}

const plain = (attributes: readonly OtlpAttribute[] = []) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ??
        value.boolValue ??
        value.doubleValue ??
        (value.intValue === undefined ? undefined : Number(value.intValue)),
    ]),
  );

/**
 * A collector's OTLP/HTTP receiver, JSON only (what shared/metrics exports): every request to /v1/metrics is parsed
 * into its data points, answered 200.
 */
export async function startOtlpMetricsReceiver() {
  const points: ReceivedPoint[] = [];
  const requests: { readonly path: string; readonly contentType: string | undefined }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', contentType: req.headers['content-type'] });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest;
      for (const { resource, scopeMetrics } of body.resourceMetrics) {
        for (const { metrics } of scopeMetrics) {
          for (const metric of metrics) {
            const [kind, data] = metric.histogram
              ? (['histogram', metric.histogram] as const)
              : metric.gauge
                ? (['gauge', metric.gauge] as const)
                : (['sum', metric.sum] as const);
            for (const point of data?.dataPoints ?? []) {
              points.push({
                metric: metric.name,
                unit: metric.unit,
                kind,
                resource: plain(resource?.attributes),
                attributes: plain(point.attributes),
                value: Number(point.count ?? point.asDouble ?? point.asInt),
                ...(point.sum === undefined ? {} : { sum: point.sum }),
              });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${String(port)}/v1/metrics`,
    points,
    requests,
    /** The points of `metric` received so far. */
    pointsOf: (metric: string) => points.filter((point) => point.metric === metric),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
