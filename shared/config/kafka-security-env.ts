import { z } from 'zod';
import { secret } from './secret';

/** Kafka's `security.protocol` values: TLS or not, SASL or not. */
export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];

/** The SASL mechanisms both kafkajs and the Knative Kafka broker speak, spelled as Kafka (and the broker) spell them. */
export const KAFKA_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

// A Secret or ConfigMap key that is present but empty means "not set", as an absent one does, so an operator can
// blank a value without deleting the key.
const unsetWhenEmpty = (value: unknown) => (value === '' ? undefined : value);

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/**
 * How a client reaches a Kafka that wants TLS and SASL. Each variable is one key of the Secret the Knative Kafka
 * broker takes as `auth.secret.ref.name`: `protocol`, `sasl.mechanism`, `user`, `password`, `ca.crt`; so one Secret
 * can feed both the broker and the functions. KafkaEnv extends it with where Kafka is (extend keeps the refinement).
 */
const kafkaSecurityShape = {
  /** Unset: PLAINTEXT. Left undefined rather than defaulted, so settings built by hand need not spell it out. */
  KAFKA_SECURITY_PROTOCOL: z.preprocess(unsetWhenEmpty, z.enum(KAFKA_SECURITY_PROTOCOLS).optional()),
  KAFKA_SASL_MECHANISM: z.preprocess(unsetWhenEmpty, z.enum(KAFKA_SASL_MECHANISMS).optional()),
  KAFKA_SASL_USER: z.preprocess(unsetWhenEmpty, z.string().optional()),
  KAFKA_SASL_PASSWORD: secret(z.preprocess(unsetWhenEmpty, z.string().optional())),
  /** PEM of the CA(s) to trust instead of the system's: a cluster's own CA (Strimzi's cluster CA, say). */
  KAFKA_CA_CERT: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .includes(PEM_CERTIFICATE, { message: `must be the certificate's PEM text (${PEM_CERTIFICATE} ...)` })
      .optional(),
  ),
};

export const KafkaSecurityEnv = z.object(kafkaSecurityShape).superRefine(checkKafkaSecurity);
export type KafkaSecurityEnv = z.infer<typeof KafkaSecurityEnv>;

/** Whether the protocol authenticates with SASL (then KAFKA_SASL_* are required). */
export const usesSasl = (protocol: KafkaSecurityProtocol | undefined): boolean =>
  protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';

/** Whether the protocol runs over TLS (then KAFKA_CA_CERT may name the CA to trust). */
export const usesTls = (protocol: KafkaSecurityProtocol | undefined): boolean =>
  protocol === 'SSL' || protocol === 'SASL_SSL';

const SASL_VARIABLES = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USER', 'KAFKA_SASL_PASSWORD'] as const;

/**
 * Refuses settings that do not go together. A setting the protocol would ignore is refused too: credentials or a CA
 * with no SASL or TLS to use them mean the operator believes the connection is protected when it is not.
 */
export function checkKafkaSecurity(env: KafkaSecurityEnv, ctx: z.RefinementCtx): void {
  const protocol = env.KAFKA_SECURITY_PROTOCOL ?? 'PLAINTEXT';
  const given = `KAFKA_SECURITY_PROTOCOL=${protocol}`;
  const issue = (variable: keyof KafkaSecurityEnv, message: string) => {
    ctx.addIssue({ code: 'custom', path: [variable], message });
  };
  const sasl = usesSasl(protocol);
  for (const variable of SASL_VARIABLES) {
    if (sasl && env[variable] === undefined) issue(variable, `is required with ${given}`);
    if (!sasl && env[variable] !== undefined) {
      issue(variable, `is set, but ${given} uses no SASL (use SASL_SSL or SASL_PLAINTEXT, or unset it)`);
    }
  }
  if (!usesTls(protocol) && env.KAFKA_CA_CERT !== undefined) {
    issue('KAFKA_CA_CERT', `is set, but ${given} uses no TLS (use SSL or SASL_SSL, or unset it)`);
  }
}
