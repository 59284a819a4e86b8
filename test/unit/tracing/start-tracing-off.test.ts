import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import test from 'ava';
import { startTracing } from '../../../shared/tracing/start-tracing';
import { tracer } from '../../../shared/tracing/tracer';

// Its own file (so its own process): it checks what this process has loaded.
const loadedSdk = () =>
  Object.keys(require.cache).filter((file) =>
    /node_modules\/@opentelemetry\/(sdk-trace|context-async-hooks|resources|core|exporter-)/.test(file),
  );

test('off, tracing loads no SDK module and leaves the no-op tracer', async (t) => {
  t.false(await startTracing({ functionName: 'login', serviceName: 'user' }, {}));
  t.false(
    await startTracing(
      { functionName: 'login', serviceName: 'user' },
      { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' },
    ),
  );
  t.deepEqual(loadedSdk(), []);
  const span = tracer().startSpan('work');
  t.false(span.isRecording());
  span.end();
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  t.deepEqual(carrier, {}, 'no propagator: nothing is injected');
  t.is(
    propagation.extract(ROOT_CONTEXT, {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    }),
    ROOT_CONTEXT,
  );
});

test('a bad OTEL_* value stops the start', async (t) => {
  await t.throwsAsync(
    startTracing({ functionName: 'login', serviceName: 'user' }, { OTEL_TRACES_EXPORTER: 'jaeger' }),
    {
      name: 'ConfigError',
    },
  );
});
