import test from 'ava';
import { runShutdownHooks } from '../../../shared/runtime/shutdown';
import { orderCancelled, orderPlaced } from '../../../shared/metrics/shop-metrics';
import { startMetrics } from '../../../shared/metrics/start-metrics';
import { startOtlpMetricsReceiver } from '../../support/otlp-metrics-receiver';

// Its own file (so its own process): metrics are registered once per process, and the test checks what is loaded.
const loaded = (fragment: string) => Object.keys(require.cache).some((file) => file.includes(fragment));

test('on, the SDK records, and the exporter, loaded at the first export, posts OTLP JSON at shutdown', async (t) => {
  const collector = await startOtlpMetricsReceiver();
  t.teardown(() => collector.close());

  const on = await startMetrics(
    { functionName: 'cancel-order', serviceName: 'order' },
    {
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: collector.endpoint,
      // Longer than the test: only the flush at shutdown exports.
      OTEL_METRIC_EXPORT_INTERVAL: '600000',
    },
  );
  t.true(on);
  t.true(loaded('/@opentelemetry/sdk-metrics/'));
  orderPlaced();
  orderPlaced();
  orderCancelled('CUSTOMER_REQUEST');
  t.false(loaded('/shared/metrics/metric-exporter'), 'no exporter code before the first export');
  t.false(loaded('/@opentelemetry/otlp-exporter-base/'));

  await runShutdownHooks((name, error) => {
    t.fail(`${name}: ${String(error)}`);
  });
  t.true(loaded('/shared/metrics/metric-exporter'));
  t.deepEqual(collector.requests, [{ path: '/v1/metrics', contentType: 'application/json' }]);
  const [placed] = collector.pointsOf('ecom.orders.placed');
  t.like(placed, {
    kind: 'sum',
    unit: '{order}',
    value: 2,
    attributes: {},
    resource: { 'service.name': 'cancel-order', 'service.namespace': 'order', 'faas.name': 'cancel-order' },
  });
  t.regex(String(placed?.resource['service.instance.id']), /^[0-9a-f-]{36}$/, 'one series per process');
  t.deepEqual(
    collector.pointsOf('ecom.orders.cancelled').map(({ attributes, value }) => ({ attributes, value })),
    [{ attributes: { 'ecom.order.cancel_reason': 'CUSTOMER_REQUEST' }, value: 1 }],
  );
});
