// Zipkin: the trace server the local stack exports spans to (OTEL_TRACES_EXPORTER=zipkin), run from its executable
// jar on Maven Central (zipkin/pom.xml) with in-memory storage: traces last until it stops. UI: <url>/zipkin/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { infraEnv } from './infra-env';
import { startJava } from './java';
import type { Service } from './lifecycle';
import { mavenClasspath } from './maven-classpath';
import type { Detached } from './process-control';

const { host, port, url } = infraEnv.zipkin;
const dir = path.join(infraEnv.dataDir, 'zipkin');
const consoleLog = path.join(dir, 'logs', 'console.log');
/**
 * Spans kept in memory; past it the oldest traces go. Zipkin's default, 500,000, does not fit the 256 MiB heap of
 * zipkin/jvm.options: 50,000 spans with a few tags each hold about 100 MiB (100,000 filled the heap).
 */
const maxSpans = 50_000;
/** What Zipkin would also start when their variables are set (KAFKA_BOOTSTRAP_SERVERS, RABBIT_URI, ...). */
const otherIntakes = [
  'collector.kafka',
  'collector.rabbitmq',
  'collector.activemq',
  'collector.pulsar',
  'collector.scribe',
  'discovery.eureka',
  'self-tracing',
];

async function getJson(pathname: string): Promise<unknown> {
  const response = await fetch(`${url}${pathname}`, { signal: AbortSignal.timeout(3000) });
  if (!response.ok) throw new Error(`GET ${pathname}: HTTP ${response.status}`);
  return response.json();
}

/** Ready means the server reports itself UP (storage included); the version comes from /info. */
async function probe(): Promise<string> {
  const health = (await getJson('/health')) as { status?: unknown };
  if (health.status !== 'UP') throw new Error(`GET /health: status ${String(health.status)}`);
  const info = (await getJson('/info')) as { zipkin?: { version?: unknown } };
  const version = info.zipkin?.version;
  return `Zipkin ${typeof version === 'string' ? version : '(version unknown)'}`;
}

async function start(progress: (step: string) => void): Promise<Detached> {
  // One jar: the exec jar carries its libraries inside (Spring Boot), so the pom excludes every dependency.
  const jars = await mavenClasspath(
    path.join(__dirname, 'zipkin', 'pom.xml'),
    dir,
    infraEnv.mavenRepo,
    progress,
  );
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  return startJava(
    {
      optionsFile: path.join(__dirname, 'zipkin', 'jvm.options'),
      // Armeria unpacks native code (brotli) there; /tmp may be noexec.
      properties: { 'java.io.tmpdir': path.join(dir, 'tmp') },
      classpath: jars,
      // What `java -jar` runs: the jar's Main-Class, which starts zipkin.server.ZipkinServer from the jar's libraries.
      mainClass: 'org.springframework.boot.loader.launch.JarLauncher',
      // Spring arguments win over the environment, so a STORAGE_TYPE or QUERY_PORT set for something else is ignored.
      // Armeria listens on what armeria.ports lists: this one port, on loopback only.
      args: [
        `--armeria.ports[0].ip=${host}`,
        `--armeria.ports[0].port=${port}`,
        '--armeria.ports[0].protocols[0]=http',
        '--zipkin.storage.type=mem',
        `--zipkin.storage.mem.max-spans=${maxSpans}`,
        // Spans come over HTTP only: a KAFKA_BOOTSTRAP_SERVERS (say) in the shell must not start a collector.
        ...otherIntakes.map((key) => `--zipkin.${key}.enabled=false`),
      ],
    },
    consoleLog,
  );
}

export const zipkin: Service = {
  name: 'zipkin',
  address: url,
  dir,
  pidFile: path.join(dir, 'zipkin.pid'),
  processMarker: 'zipkin-server',
  readyTimeoutMs: 120_000, // a cold JVM on two cores, while Kafka and Cassandra start too
  logFiles: [consoleLog],
  probe,
  start,
};
