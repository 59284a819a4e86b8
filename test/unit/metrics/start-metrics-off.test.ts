import test from 'ava';
import { recordDelivery } from '../../../shared/metrics/consumer-metrics';
import { recordHttpRequest } from '../../../shared/metrics/http-server-metrics';
import { meter } from '../../../shared/metrics/meter';
import { orderPlaced } from '../../../shared/metrics/shop-metrics';
import { startMetrics } from '../../../shared/metrics/start-metrics';

// Its own file (so its own process): it checks what this process has loaded.
const loadedSdk = () =>
  Object.keys(require.cache).filter((file) =>
    /node_modules\/@opentelemetry\/(sdk-metrics|resources|core|otlp-)/.test(file),
  );

test('off, metrics load no SDK module, and every instrument is a no-op', async (t) => {
  t.false(await startMetrics({ functionName: 'place-order', serviceName: 'order' }, {}));
  t.false(
    await startMetrics(
      { functionName: 'place-order', serviceName: 'order' },
      { OTEL_SDK_DISABLED: 'true', OTEL_METRICS_EXPORTER: 'otlp' },
    ),
  );
  // What the runtime and the shop record on every request, event and order: nothing to load, nothing to throw.
  recordHttpRequest({ method: 'GET', route: '/v1/orders/{id}', status: 200 }, performance.now());
  recordDelivery(
    { type: 'com.ecom.order.placed', subscribed: new Set(['com.ecom.order.placed']) },
    { outcome: 'refused', status: 400, retried: false },
    performance.now(),
  );
  orderPlaced();
  t.deepEqual(loadedSdk(), []);
  t.is(meter().createCounter('x').constructor.name, 'NoopCounterMetric');
});

test('a bad OTEL_* value stops the start', async (t) => {
  await t.throwsAsync(
    startMetrics({ functionName: 'login', serviceName: 'user' }, { OTEL_METRICS_EXPORTER: 'statsd' }),
    { name: 'ConfigError' },
  );
});
