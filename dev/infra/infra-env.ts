// Where the local Kafka, Cassandra, MariaDB and Zipkin listen, read once from the environment.
// The application code reads the same variable names to connect, so tests import this object instead of
// repeating the defaults.
import path from 'node:path';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface InfraEnv {
  /** The one git-ignored folder holding every service's data, logs and PID file. */
  readonly dataDir: string;
  /** A throw-away Maven local repository (INFRA_MAVEN_REPO), e.g. to measure a cold start; default ~/.m2. */
  readonly mavenRepo: string | undefined;
  readonly kafka: {
    /** KAFKA_BROKERS as given, for clients. */
    readonly brokers: readonly string[];
    /** The first broker: the address the local broker listens on. */
    readonly broker: HostPort;
    /** The KRaft controller listens on the broker port + 1. */
    readonly controllerPort: number;
    /** A second listener, SASL_PLAINTEXT with one SCRAM user, for tests of authenticated clients; see below. */
    readonly scram: ScramListener | undefined;
  };
  readonly cassandra: {
    /** CASSANDRA_CONTACT_POINTS as given ("host:port"), for cassandra-driver. */
    readonly contactPoints: readonly string[];
    /** The first contact point: where the local node serves CQL. */
    readonly node: HostPort;
    readonly localDataCenter: string;
    /** Gossip between nodes (unused with one node, but always bound) and local-only JMX for nodetool. */
    readonly storagePort: number;
    readonly jmxPort: number;
  };
  readonly mysql: HostPort & { readonly user: string; readonly password: string };
  /** The local trace server, on loopback only (ZIPKIN_PORT). */
  readonly zipkin: ZipkinServer;
}

export interface ZipkinServer extends HostPort {
  /** Its base URL, e.g. http://127.0.0.1:9411; the UI is at `${url}/zipkin/`. */
  readonly url: string;
  /** Where spans are posted (Zipkin v2 JSON): what OTEL_EXPORTER_ZIPKIN_ENDPOINT should name for the local stack. */
  readonly spansEndpoint: string;
}

/** Where the SCRAM listener is, and its one user (both mechanisms): dev only, on loopback. */
export interface ScramListener extends HostPort {
  readonly user: string;
  readonly password: string;
}

/** Dev-only credentials of the local SCRAM listener; nothing in production knows them. */
const SCRAM_USER = 'ecom-scram-test';
const SCRAM_PASSWORD = 'ecom-scram-test-password';

type Env = Readonly<Record<string, string | undefined>>;

function port(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 65_535) {
    throw new Error(`${name}: "${text}" is not a TCP port (1-65535)`);
  }
  return value;
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * The SCRAM listener's port: INFRA_KAFKA_SCRAM_PORT (0: none), else 9094 for the broker on its default port 9092.
 * A broker on another port (a test's private one, whose ports are drawn at random) gets none unless asked, so
 * nothing binds a port nobody chose for it.
 */
function scramPort(env: Env, brokerPort: number): number | undefined {
  const given = env.INFRA_KAFKA_SCRAM_PORT;
  if (given === '0') return undefined;
  if (given !== undefined && given !== '') return port('INFRA_KAFKA_SCRAM_PORT', given);
  return brokerPort === 9092 ? 9094 : undefined;
}

function hostPort(name: string, address: string, defaultPort: number): HostPort {
  const match = /^(.+?)(?::(\d+))?$/.exec(address);
  if (!match?.[1]) throw new Error(`${name}: "${address}" is not host[:port]`);
  return { host: match[1], port: match[2] === undefined ? defaultPort : port(name, match[2]) };
}

export function readInfraEnv(env: Env = process.env): InfraEnv {
  const projectRoot = path.resolve(__dirname, '../..');
  const brokers = list(env.KAFKA_BROKERS ?? '127.0.0.1:9092');
  const contactPoints = list(env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042');
  if (!brokers[0]) throw new Error('KAFKA_BROKERS is empty');
  if (!contactPoints[0]) throw new Error('CASSANDRA_CONTACT_POINTS is empty');
  const broker = hostPort('KAFKA_BROKERS', brokers[0], 9092);
  const scram = scramPort(env, broker.port);
  return {
    dataDir: path.resolve(projectRoot, env.INFRA_DATA_DIR ?? '.data'),
    mavenRepo: env.INFRA_MAVEN_REPO ? path.resolve(env.INFRA_MAVEN_REPO) : undefined,
    kafka: {
      brokers,
      broker,
      controllerPort: broker.port + 1,
      scram:
        scram === undefined
          ? undefined
          : { host: broker.host, port: scram, user: SCRAM_USER, password: SCRAM_PASSWORD },
    },
    cassandra: {
      contactPoints,
      node: hostPort('CASSANDRA_CONTACT_POINTS', contactPoints[0], 9042),
      localDataCenter: env.CASSANDRA_LOCAL_DC ?? 'datacenter1',
      storagePort: port('CASSANDRA_STORAGE_PORT', env.CASSANDRA_STORAGE_PORT ?? '7000'),
      jmxPort: port('CASSANDRA_JMX_PORT', env.CASSANDRA_JMX_PORT ?? '7199'),
    },
    mysql: {
      host: env.MYSQL_HOST ?? '127.0.0.1',
      port: port('MYSQL_PORT', env.MYSQL_PORT ?? '3306'),
      user: env.MYSQL_USER ?? 'root',
      password: env.MYSQL_PASSWORD ?? '',
    },
    zipkin: zipkinServer(port('ZIPKIN_PORT', env.ZIPKIN_PORT ?? '9411')),
  };
}

function zipkinServer(zipkinPort: number): ZipkinServer {
  const host = '127.0.0.1';
  const url = `http://${host}:${zipkinPort}`;
  return { host, port: zipkinPort, url, spansEndpoint: `${url}/api/v2/spans` };
}

export const infraEnv: InfraEnv = readInfraEnv();
