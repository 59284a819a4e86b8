import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { KafkaSecurityEnv, usesSasl, usesTls, type KafkaSaslMechanism } from '../config/kafka-security-env';
import { loadConfig } from '../config/load-config';

/** A Kafka client's TLS and SASL settings, as KafkaEnv parses them from the environment. */
export type KafkaSecurity = KafkaSecurityEnv;

/** kafkajs spells the mechanisms in lower case. */
const KAFKAJS_MECHANISM = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
} as const satisfies Record<KafkaSaslMechanism, SASLOptions['mechanism']>;

/** Only the security settings of a parsed environment (which holds more), for a KafkaConnection to carry. */
export function kafkaSecurityOf(env: KafkaSecurityEnv): KafkaSecurity {
  return {
    KAFKA_SECURITY_PROTOCOL: env.KAFKA_SECURITY_PROTOCOL,
    KAFKA_SASL_MECHANISM: env.KAFKA_SASL_MECHANISM,
    KAFKA_SASL_USER: env.KAFKA_SASL_USER,
    KAFKA_SASL_PASSWORD: env.KAFKA_SASL_PASSWORD,
    KAFKA_CA_CERT: env.KAFKA_CA_CERT,
  };
}

/**
 * The `ssl` and `sasl` options of a kafkajs client for these settings: neither for PLAINTEXT; TLS trusting
 * KAFKA_CA_CERT (else the system's CAs) for SSL and SASL_SSL; the mechanism, user and password for SASL_*.
 * Settings built by hand are checked as the environment is: a ConfigError names each inconsistent variable.
 */
export function kafkaClientSecurity(security: KafkaSecurity): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const checked = loadConfig(KafkaSecurityEnv, { ...security });
  const protocol = checked.KAFKA_SECURITY_PROTOCOL;
  const ca = checked.KAFKA_CA_CERT;
  return {
    // An explicit `ca` replaces Node's bundled CAs: the cluster's CA is then the only one trusted.
    ...(usesTls(protocol) ? { ssl: ca === undefined ? true : { ca: [ca] } } : {}),
    ...(usesSasl(protocol) ? { sasl: saslOf(checked) } : {}),
  };
}

function saslOf(security: KafkaSecurity): SASLOptions {
  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USER: username,
    KAFKA_SASL_PASSWORD: password,
  } = security;
  // checkKafkaSecurity requires all three with SASL_*; this only tells the type checker.
  if (mechanism === undefined || username === undefined || password === undefined) {
    throw new Error('SASL settings are incomplete');
  }
  return { mechanism: KAFKAJS_MECHANISM[mechanism], username, password };
}
