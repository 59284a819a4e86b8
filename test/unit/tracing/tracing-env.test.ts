import test from 'ava';
import { ConfigError, loadConfig } from '../../../shared/config/load-config';
import { TracingEnv, tracingPlan } from '../../../shared/tracing/tracing-env';

const plan = (env: NodeJS.ProcessEnv) => tracingPlan(loadConfig(TracingEnv, env), 'place-order');

test('tracing is off unless an exporter is named (our deviation from the default otlp)', (t) => {
  t.is(plan({}), undefined);
  t.is(plan({ OTEL_TRACES_EXPORTER: 'none' }), undefined);
  t.is(plan({ OTEL_TRACES_EXPORTER: '' }), undefined, 'an empty value is unset');
  t.is(
    plan({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_SERVICE_NAME: 'x' }),
    undefined,
    'a sampler alone is not enough',
  );
});

test('OTEL_SDK_DISABLED=true turns it off whatever the exporter', (t) => {
  t.is(plan({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }), undefined);
  t.is(plan({ OTEL_SDK_DISABLED: 'TRUE', OTEL_TRACES_EXPORTER: 'zipkin' }), undefined);
  t.truthy(plan({ OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'zipkin' }));
});

test('zipkin: the default endpoint, parent-based ratio sampling of everything, the function as service', (t) => {
  t.deepEqual(plan({ OTEL_TRACES_EXPORTER: 'zipkin' }), {
    exporter: 'zipkin',
    endpoint: 'http://localhost:9411/api/v2/spans',
    sampler: 'parentbased_traceidratio',
    ratio: 1,
    serviceName: 'place-order',
  });
  t.is(
    plan({ OTEL_TRACES_EXPORTER: 'Zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://zipkin:9411/api/v2/spans' })
      ?.endpoint,
    'http://zipkin:9411/api/v2/spans',
  );
});

test('otlp: the traces endpoint as given, else <base>/v1/traces, else the local collector', (t) => {
  t.is(plan({ OTEL_TRACES_EXPORTER: 'otlp' })?.endpoint, 'http://localhost:4318/v1/traces');
  t.is(
    plan({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })?.endpoint,
    'http://collector:4318/v1/traces',
  );
  t.is(
    plan({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/ingest',
    })?.endpoint,
    'https://traces.example/ingest',
  );
});

test('sampler, ratio and service name are taken from the environment', (t) => {
  t.like(
    plan({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_TRACES_SAMPLER: 'ParentBased_Always_Off',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_SERVICE_NAME: 'checkout',
    }),
    { sampler: 'parentbased_always_off', ratio: 0.25, serviceName: 'checkout' },
  );
});

test('a bad value stops the start with a message naming the variable', (t) => {
  const bad = (env: NodeJS.ProcessEnv, variable: string) => {
    const error = t.throws(() => loadConfig(TracingEnv, env), { instanceOf: ConfigError });
    t.regex(error.message, new RegExp(`^ {2}${variable}: `, 'm'));
  };
  bad({ OTEL_TRACES_EXPORTER: 'jaeger' }, 'OTEL_TRACES_EXPORTER');
  bad({ OTEL_TRACES_SAMPLER: 'sometimes' }, 'OTEL_TRACES_SAMPLER');
  bad({ OTEL_TRACES_SAMPLER_ARG: '1.5' }, 'OTEL_TRACES_SAMPLER_ARG');
  bad({ OTEL_TRACES_SAMPLER_ARG: 'half' }, 'OTEL_TRACES_SAMPLER_ARG');
  bad({ OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'zipkin:9411' }, 'OTEL_EXPORTER_ZIPKIN_ENDPOINT');
  bad({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector' }, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  bad({ OTEL_SDK_DISABLED: 'yes' }, 'OTEL_SDK_DISABLED');
});
