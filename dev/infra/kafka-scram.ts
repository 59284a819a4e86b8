// The local Kafka's second listener: SASL_PLAINTEXT with one SCRAM user, so a test can prove that a client set up as
// in production (KAFKA_SECURITY_PROTOCOL=SASL_*, shared/config/kafka-security-env.ts) logs in, and that a wrong
// password is refused. The PLAINTEXT listener every other client uses is left as it was.
import { Kafka, KafkaJSSASLAuthenticationError, logLevel, type SASLOptions } from 'kafkajs';
import { infraEnv, type ScramListener } from './infra-env';
import { acceptsConnections, waitUntil } from './wait-until';

const { scram, broker } = infraEnv.kafka;

/** The user gets both mechanisms, so a test can try each. */
const MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
type Mechanism = (typeof MECHANISMS)[number];
const KAFKAJS_MECHANISM = { 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' } as const;

/** server.properties' ${scramListener}: the listener to append to `listeners` and `advertised.listeners`, or ''. */
export function scramListener(): string {
  return scram ? `,SASL_PLAINTEXT://${scram.host}:${scram.port}` : '';
}

/** `kafka-storage format` arguments that create the user with the storage: a first start costs nothing more. */
export function scramFormatArgs(): string[] {
  if (!scram) return [];
  return MECHANISMS.flatMap((mechanism) => [
    '--add-scram',
    `${mechanism}=[name=${scram.user},password=${scram.password}]`,
  ]);
}

/**
 * `kafka-configs` arguments that create (or reset) the user's credential for one mechanism on a running broker,
 * through the PLAINTEXT listener. One mechanism a run: KRaft refuses to alter one user's credentials twice in one
 * request.
 */
function addUserArgs(listener: ScramListener, mechanism: Mechanism): string[] {
  return [
    '--bootstrap-server',
    `${broker.host}:${broker.port}`,
    '--alter',
    '--add-config',
    `${mechanism}=[password=${listener.password}]`,
    '--entity-type',
    'users',
    '--entity-name',
    listener.user,
  ];
}

function saslOf(listener: ScramListener, mechanism: Mechanism): SASLOptions {
  return { mechanism: KAFKAJS_MECHANISM[mechanism], username: listener.user, password: listener.password };
}

type Login = 'ok' | 'refused' | 'no listener';

async function logIn(listener: ScramListener, mechanism: Mechanism): Promise<Login> {
  try {
    await acceptsConnections(listener.host, listener.port);
  } catch {
    return 'no listener';
  }
  const kafka = new Kafka({
    clientId: 'infra-readiness',
    brokers: [`${listener.host}:${listener.port}`],
    sasl: saslOf(listener, mechanism),
    logLevel: logLevel.NOTHING, // a refused login is an expected answer here
    connectionTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect(); // connecting is logging in
    return 'ok';
  } catch (error) {
    if (error instanceof KafkaJSSASLAuthenticationError) return 'refused';
    throw error;
  } finally {
    await admin.disconnect();
  }
}

/** The outcome of logging in with each mechanism. */
async function logInWithEach(listener: ScramListener): Promise<Map<Mechanism, Login>> {
  const outcomes = new Map<Mechanism, Login>();
  for (const mechanism of MECHANISMS) outcomes.set(mechanism, await logIn(listener, mechanism));
  return outcomes;
}

const refusedOf = (outcomes: Map<Mechanism, Login>) =>
  MECHANISMS.filter((mechanism) => outcomes.get(mechanism) === 'refused');

/**
 * Called once the broker is ready for everything else: makes the SCRAM user log in with each mechanism. Storage
 * formatted before the listener existed has no such user: it is added once with Kafka's kafka-configs tool
 * (`runConfigTool`, one JVM run per mechanism). Nothing here fails the broker's readiness, which every other test
 * needs: a broker without the listener (started before it existed, or not by this project) or a user that could
 * not be added gets a note saying so; otherwise the note gives the listener's address.
 */
export async function ensureScramLogin(runConfigTool: (args: string[]) => Promise<void>): Promise<string> {
  if (!scram) return '';
  const where = `${scram.host}:${scram.port}`;
  try {
    const first = await logInWithEach(scram);
    if ([...first.values()].includes('no listener')) {
      return ` (no SCRAM listener on ${where}: \`npm run infra:down\` then \`npm run infra:up\` adds it)`;
    }
    for (const mechanism of refusedOf(first)) await runConfigTool(addUserArgs(scram, mechanism));
    if (refusedOf(first).length > 0) {
      // The broker learns a credential from the metadata log, an instant after the tool returns.
      await waitUntil(
        'the SCRAM user',
        async () => {
          const refused = refusedOf(await logInWithEach(scram));
          if (refused.length > 0) throw new Error(`${refused.join(', ')} login refused`);
        },
        { timeoutMs: 10_000 },
      );
    }
    return `, SCRAM (SASL_PLAINTEXT) on ${where}`;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return ` (SCRAM on ${where} unusable: ${reason})`;
  }
}
