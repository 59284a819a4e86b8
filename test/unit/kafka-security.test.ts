// Kafka's TLS and SASL settings, from the environment to the kafkajs client's options: the variables map 1:1 onto
// the keys of the Knative Kafka broker's auth Secret, and settings that do not go together stop the start.
import test from 'ava';
import { KafkaEnv } from '../../shared/config/env-schemas';
import { ConfigError, loadConfig } from '../../shared/config/load-config';
import { isSecret } from '../../shared/config/secret';
import { createKafka, kafkaClientConfig, kafkaConnection } from '../../shared/kafka/create-kafka';
import { configOf } from '../../shared/kit/function-env';
import { createLogger } from '../../shared/log/logger';
import { EventSinkEnv } from '../../shared/messaging/event-sink-env';

const logger = createLogger('kafka-security-test', { level: 'silent' });
const CA = '-----BEGIN CERTIFICATE-----\nMIIBdummy\n-----END CERTIFICATE-----\n';
const PASSWORD = 'pa55-never-in-a-log';

/** The options kafkajs is given for a function started with `env`. */
const clientConfigFor = (env: NodeJS.ProcessEnv) =>
  kafkaClientConfig(kafkaConnection(loadConfig(KafkaEnv, env)), logger);

/** The ConfigError `env` fails with. */
function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(KafkaEnv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the settings were accepted');
}

test('SASL_SSL: TLS trusting the given CA, and SASL with the mechanism, user and password', (t) => {
  const config = clientConfigFor({
    KAFKA_BROKERS: 'kafka-0:9093,kafka-1:9093',
    KAFKA_CLIENT_ID: 'ecom-order',
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USER: 'ecom-order',
    KAFKA_SASL_PASSWORD: PASSWORD,
    KAFKA_CA_CERT: CA,
  });
  t.deepEqual(config.brokers, ['kafka-0:9093', 'kafka-1:9093']);
  t.is(config.clientId, 'ecom-order');
  t.deepEqual(config.ssl, { ca: [CA] });
  t.deepEqual(config.sasl, { mechanism: 'scram-sha-512', username: 'ecom-order', password: PASSWORD });
});

test("each mechanism reaches kafkajs in kafkajs' spelling", (t) => {
  for (const [mechanism, kafkajs] of [
    ['PLAIN', 'plain'],
    ['SCRAM-SHA-256', 'scram-sha-256'],
    ['SCRAM-SHA-512', 'scram-sha-512'],
  ] as const) {
    const config = clientConfigFor({
      KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      KAFKA_SASL_MECHANISM: mechanism,
      KAFKA_SASL_USER: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
    t.deepEqual(config.sasl, { mechanism: kafkajs, username: 'u', password: 'p' }, mechanism);
    t.false('ssl' in config, 'SASL_PLAINTEXT has no TLS');
  }
});

test("SSL without a CA trusts the system's CAs, and authenticates with no SASL", (t) => {
  const config = clientConfigFor({ KAFKA_SECURITY_PROTOCOL: 'SSL' });
  t.is(config.ssl, true);
  t.false('sasl' in config);
});

test('PLAINTEXT, given, unset or empty, gives neither TLS nor SASL', (t) => {
  const empty = {
    KAFKA_SECURITY_PROTOCOL: '',
    KAFKA_SASL_MECHANISM: '',
    KAFKA_SASL_USER: '',
    KAFKA_SASL_PASSWORD: '',
    KAFKA_CA_CERT: '',
  };
  for (const env of [{ KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT' }, {}, empty]) {
    const config = clientConfigFor(env);
    t.false('ssl' in config, JSON.stringify(env));
    t.false('sasl' in config, JSON.stringify(env));
    t.deepEqual(config.brokers, ['127.0.0.1:9092']);
  }
});

test('SASL_* without its mechanism, user or password fails at load, naming each', (t) => {
  const message = configError({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_PASSWORD: PASSWORD });
  t.regex(message, /KAFKA_SASL_USER: is required with KAFKA_SECURITY_PROTOCOL=SASL_SSL/);
  t.regex(message, /KAFKA_SASL_MECHANISM: is required with KAFKA_SECURITY_PROTOCOL=SASL_SSL/);
  t.notRegex(message, /KAFKA_SASL_PASSWORD/);
  t.false(message.includes(PASSWORD), 'the password never appears in the message');
});

test('credentials or a CA the protocol would not use are refused, not silently ignored', (t) => {
  t.regex(
    configError({ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256' }),
    /KAFKA_SASL_MECHANISM: is set, but KAFKA_SECURITY_PROTOCOL=PLAINTEXT uses no SASL/,
  );
  const ssl = configError({
    KAFKA_SECURITY_PROTOCOL: 'SSL',
    KAFKA_SASL_USER: 'u',
    KAFKA_SASL_PASSWORD: PASSWORD,
  });
  t.regex(ssl, /KAFKA_SASL_USER: is set, but KAFKA_SECURITY_PROTOCOL=SSL uses no SASL/);
  t.regex(ssl, /KAFKA_SASL_PASSWORD: is set/);
  t.false(ssl.includes(PASSWORD));
  t.regex(
    configError({
      KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      KAFKA_SASL_MECHANISM: 'PLAIN',
      KAFKA_SASL_USER: 'u',
      KAFKA_SASL_PASSWORD: 'p',
      KAFKA_CA_CERT: CA,
    }),
    /KAFKA_CA_CERT: is set, but KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT uses no TLS/,
  );
});

test('values outside the lists, and a CA that is not PEM, fail at load, naming the variable', (t) => {
  t.regex(configError({ KAFKA_SECURITY_PROTOCOL: 'TLS' }), /KAFKA_SECURITY_PROTOCOL: /);
  // Spelled as Kafka and the broker's Secret spell it, not as kafkajs does.
  const lowerCase = {
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SASL_MECHANISM: 'scram-sha-256',
    KAFKA_SASL_USER: 'u',
    KAFKA_SASL_PASSWORD: 'p',
  };
  t.regex(configError(lowerCase), /KAFKA_SASL_MECHANISM: /);
  t.regex(
    configError({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_CA_CERT: '/etc/kafka/ca.crt' }),
    /KAFKA_CA_CERT: must be the certificate's PEM text/,
  );
});

test('settings built by hand are checked as the environment is, before any connection', async (t) => {
  const connection = {
    brokers: ['127.0.0.1:1'],
    clientId: 'by-hand',
    security: { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'PLAIN' },
  } as const;
  const error = await t.throwsAsync(createKafka(connection, logger), { instanceOf: ConfigError });
  t.regex(error.message, /KAFKA_SASL_USER: is required/);
});

test('the password comes from the Secret; the other settings from the ConfigMap', (t) => {
  t.true(isSecret(KafkaEnv.shape.KAFKA_SASL_PASSWORD));
  const { env, secrets } = configOf([{ name: 'events', schema: EventSinkEnv }]);
  t.true(secrets.includes('KAFKA_SASL_PASSWORD'));
  for (const name of [
    'KAFKA_SECURITY_PROTOCOL',
    'KAFKA_SASL_MECHANISM',
    'KAFKA_SASL_USER',
    'KAFKA_CA_CERT',
  ]) {
    t.true(env.includes(name), name);
  }
});

test('a function that publishes parses the settings with its events (EventSinkEnv)', (t) => {
  const config = loadConfig(EventSinkEnv, {
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
    KAFKA_SASL_USER: 'ecom-user',
    KAFKA_SASL_PASSWORD: PASSWORD,
  });
  t.like(kafkaClientConfig(kafkaConnection(config), logger), {
    ssl: true,
    sasl: { mechanism: 'scram-sha-256', username: 'ecom-user', password: PASSWORD },
  });
  t.throws(() => loadConfig(EventSinkEnv, { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' }), {
    instanceOf: ConfigError,
    message: /KAFKA_SASL_USER/,
  });
});
