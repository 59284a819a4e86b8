// Apache Cassandra 5.0: one node run from the jars on Maven Central (cassandra/pom.xml). CassandraDaemon is
// started with java directly: bin/cassandra is not in the jars, and it would refuse to run as root (CI).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'cassandra-driver';
import { infraEnv } from './infra-env';
import { startJava } from './java';
import type { Service } from './lifecycle';
import { mavenClasspath } from './maven-classpath';
import type { Detached } from './process-control';
import { renderTemplate } from './templates';
import { acceptsConnections } from './wait-until';

const { contactPoints, node, localDataCenter, storagePort, jmxPort } = infraEnv.cassandra;
const dir = path.join(infraEnv.dataDir, 'cassandra');
const confDir = path.join(dir, 'conf');
const logsDir = path.join(dir, 'logs');
const consoleLog = path.join(logsDir, 'console.log');

/** Ready means a CQL query answers, not merely an open port. */
async function probe(): Promise<string> {
  await acceptsConnections(node.host, node.port); // fails at once while the node is down
  const client = new Client({
    contactPoints: [...contactPoints],
    localDataCenter,
    socketOptions: { connectTimeout: 3000, readTimeout: 10_000 },
  });
  try {
    await client.connect();
    const result = await client.execute('SELECT release_version FROM system.local');
    return `Cassandra ${String(result.first().get('release_version'))}`;
  } finally {
    await client.shutdown();
  }
}

async function start(progress: (step: string) => void): Promise<Detached> {
  const jars = await mavenClasspath(
    path.join(__dirname, 'cassandra', 'pom.xml'),
    dir,
    infraEnv.mavenRepo,
    progress,
  );
  const jamm = jars.find((jar) => path.basename(jar).startsWith('jamm-'));
  if (!jamm) throw new Error('jamm is missing from the Cassandra classpath');

  renderTemplate(path.join(__dirname, 'cassandra', 'cassandra.yaml'), path.join(confDir, 'cassandra.yaml'), {
    storageDir: path.join(dir, 'storage'),
    host: node.host,
    storagePort,
    nativePort: node.port,
  });
  // GossipingPropertyFileSnitch reads the data center name from here (via the classpath), so the node's data
  // center is the one clients are told to use (CASSANDRA_LOCAL_DC).
  writeFileSync(path.join(confDir, 'cassandra-rackdc.properties'), `dc=${localDataCenter}\nrack=rack1\n`);
  for (const folder of ['tmp', 'triggers', 'logs']) mkdirSync(path.join(dir, folder), { recursive: true });

  return startJava(
    {
      optionsFile: path.join(__dirname, 'cassandra', 'jvm.options'),
      properties: {
        'cassandra.config': `file://${path.join(confDir, 'cassandra.yaml')}`,
        'cassandra.storagedir': path.join(dir, 'storage'),
        'cassandra.logdir': logsDir,
        'cassandra.triggers_dir': path.join(dir, 'triggers'),
        'logback.configurationFile': path.join(__dirname, 'cassandra', 'logback.xml'),
        // JMX on loopback only, for nodetool; its RMI objects on the same port rather than a random one.
        'cassandra.jmx.local.port': String(jmxPort),
        'com.sun.management.jmxremote.rmi.port': String(jmxPort),
        'java.rmi.server.hostname': node.host,
        // JNA and the compression codecs unpack native libraries here: it must allow exec (/tmp may not).
        'jna.tmpdir': path.join(dir, 'tmp'),
        'java.io.tmpdir': path.join(dir, 'tmp'),
      },
      // Cassandra measures object sizes with jamm, which must be loaded as an agent.
      extraOptions: [`-javaagent:${jamm}`],
      classpath: [confDir, ...jars],
      mainClass: 'org.apache.cassandra.service.CassandraDaemon',
      // After each request, the worker threads of Cassandra's shared executor pool (Native-Transport-Requests,
      // MutationStage) wait about 10 ms for more work in 10 us sleeps before they park: on two shared cores that was
      // 6-7 ms of CPU for each lone write, taken from the functions beside it (bench/README.md, "Cassandra's idle
      // spin"). With 1 ms of slack each of those sleeps lasts about 1 ms; a request that comes while a worker sleeps
      // waits for it, at most that long.
      timerSlackNs: 1_000_000,
    },
    consoleLog,
  );
}

export const cassandra: Service = {
  name: 'cassandra',
  address: contactPoints.join(','),
  dir,
  pidFile: path.join(dir, 'cassandra.pid'),
  processMarker: 'org.apache.cassandra.service.CassandraDaemon',
  readyTimeoutMs: 180_000, // a cold JVM on two cores, while Kafka starts too
  logFiles: [path.join(logsDir, 'system.log'), consoleLog],
  probe,
  start,
};
