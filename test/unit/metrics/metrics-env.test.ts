import test from 'ava';
import { ConfigError, loadConfig } from '../../../shared/config/load-config';
import { MetricsEnv, metricsPlan } from '../../../shared/metrics/metrics-env';

const plan = (env: NodeJS.ProcessEnv) => metricsPlan(loadConfig(MetricsEnv, env), 'place-order');

test('metrics are off unless the exporter is named (our deviation from the default otlp)', (t) => {
  t.is(plan({}), undefined);
  t.is(plan({ OTEL_METRICS_EXPORTER: 'none' }), undefined);
  t.is(plan({ OTEL_METRICS_EXPORTER: '' }), undefined, 'an empty value is unset');
  t.is(
    plan({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'otlp' }),
    undefined,
    'a collector, or traces on, is not enough',
  );
});

test('OTEL_SDK_DISABLED=true turns them off whatever the exporter', (t) => {
  t.is(plan({ OTEL_SDK_DISABLED: 'true', OTEL_METRICS_EXPORTER: 'otlp' }), undefined);
  t.is(plan({ OTEL_SDK_DISABLED: 'True', OTEL_METRICS_EXPORTER: 'otlp' }), undefined);
  t.truthy(plan({ OTEL_SDK_DISABLED: 'false', OTEL_METRICS_EXPORTER: 'otlp' }));
});

test('otlp: the local collector, a one-minute interval and the function as service by default', (t) => {
  t.deepEqual(plan({ OTEL_METRICS_EXPORTER: 'OTLP' }), {
    endpoint: 'http://localhost:4318/v1/metrics',
    intervalMs: 60_000,
    serviceName: 'place-order',
  });
});

test('the metrics endpoint as given, else <base>/v1/metrics', (t) => {
  t.is(
    plan({ OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })?.endpoint,
    'http://collector:4318/v1/metrics',
  );
  t.is(
    plan({
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/ingest',
    })?.endpoint,
    'http://collector:4318/v1/metrics',
    "the traces endpoint is the traces' alone",
  );
  t.is(
    plan({
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'https://metrics.example/ingest',
    })?.endpoint,
    'https://metrics.example/ingest',
  );
});

test('interval and service name are taken from the environment', (t) => {
  t.like(
    plan({
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_METRIC_EXPORT_INTERVAL: '15000',
      OTEL_SERVICE_NAME: 'checkout',
    }),
    { intervalMs: 15_000, serviceName: 'checkout' },
  );
  t.is(plan({ OTEL_METRICS_EXPORTER: 'otlp', OTEL_METRIC_EXPORT_INTERVAL: ' ' })?.intervalMs, 60_000);
});

test('a bad value stops the start with a message naming the variable', (t) => {
  const bad = (env: NodeJS.ProcessEnv, variable: string) => {
    const error = t.throws(() => loadConfig(MetricsEnv, env), { instanceOf: ConfigError });
    t.regex(error.message, new RegExp(`^ {2}${variable}: `, 'm'));
  };
  bad({ OTEL_METRICS_EXPORTER: 'prometheus' }, 'OTEL_METRICS_EXPORTER');
  bad({ OTEL_METRICS_EXPORTER: 'console' }, 'OTEL_METRICS_EXPORTER');
  bad({ OTEL_METRIC_EXPORT_INTERVAL: '0' }, 'OTEL_METRIC_EXPORT_INTERVAL');
  bad({ OTEL_METRIC_EXPORT_INTERVAL: '-5' }, 'OTEL_METRIC_EXPORT_INTERVAL');
  bad({ OTEL_METRIC_EXPORT_INTERVAL: '1.5' }, 'OTEL_METRIC_EXPORT_INTERVAL');
  bad({ OTEL_METRIC_EXPORT_INTERVAL: 'often' }, 'OTEL_METRIC_EXPORT_INTERVAL');
  bad({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  bad({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector' }, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  bad({ OTEL_SDK_DISABLED: 'yes' }, 'OTEL_SDK_DISABLED');
});
