// Apache Kafka: one KRaft node (broker and controller) run from the jars on Maven Central (kafka/pom.xml).
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { ensureTopics } from '../../shared/kafka/ensure-topics';
import { infraEnv } from './infra-env';
import { startJava, runJava } from './java';
import { ensureScramLogin, scramFormatArgs, scramListener } from './kafka-scram';
import type { Service } from './lifecycle';
import { mavenClasspath } from './maven-classpath';
import type { Detached } from './process-control';
import { renderTemplate } from './templates';
import { acceptsConnections, withTimeout } from './wait-until';

const { broker, brokers, controllerPort } = infraEnv.kafka;
const dir = path.join(infraEnv.dataDir, 'kafka');
const logsDir = path.join(dir, 'logs');
const logDirs = path.join(dir, 'data');
const propertiesFile = path.join(dir, 'server.properties');
const consoleLog = path.join(logsDir, 'console.log');
const readinessTopic = 'infra-readiness';

/** The version that runs, read off the classpath Maven resolved (Kafka's protocol does not report it). */
function version(): string {
  try {
    const match = /kafka_2\.13-([^/:]+)\.jar/.exec(readFileSync(path.join(dir, 'classpath.txt'), 'utf8'));
    return `Kafka ${match?.[1] ?? '(version unknown)'}`;
  } catch {
    return 'Kafka (version unknown: not started by this project)';
  }
}

/**
 * What `kafka-storage.sh random-uuid` prints: 16 random bytes in base64url, redrawn when the text starts with
 * '-' (as Kafka's own Uuid.randomUuid does), since the storage tool would read such an id as an option.
 */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Ready means usable: a message produced to the readiness topic comes back to a consumer group. */
async function probe(): Promise<string> {
  await acceptsConnections(broker.host, broker.port); // fails at once while the broker is down
  const kafka = new Kafka({
    clientId: 'infra-readiness',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING, // a broker that is still starting is expected here, not worth a log line
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: 2, initialRetryTime: 200 },
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  // A group per probe: probes of two runs at once would otherwise steal each other's message.
  const groupId = `infra-readiness-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  const token = randomUUID();
  try {
    await admin.connect();
    await ensureTopics(admin, [
      {
        topic: readinessTopic,
        numPartitions: 1,
        configEntries: [{ name: 'retention.ms', value: '3600000' }],
      },
    ]);
    await producer.connect();
    await producer.send({ topic: readinessTopic, messages: [{ value: token }] });
    await consumer.connect();
    await consumer.subscribe({ topics: [readinessTopic], fromBeginning: true });
    const received = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: ({ message }) => {
          if (message.value?.toString() === token) resolve();
          return Promise.resolve();
        },
      });
    });
    await withTimeout('produce/consume round trip', 20_000, received);
    return version() + (await ensureScramLogin(runConfigTool));
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

function classpath(progress: (step: string) => void): Promise<readonly string[]> {
  return mavenClasspath(path.join(__dirname, 'kafka', 'pom.xml'), dir, infraEnv.mavenRepo, progress);
}

/** Kafka's kafka-configs tool against the running broker (kafka-scram.ts adds a user with it). */
async function runConfigTool(args: string[]): Promise<void> {
  const jars = await classpath(() => undefined); // resolved when the broker started: read from the cache
  await runJava(
    {
      optionsFile: path.join(__dirname, 'kafka', 'jvm.options'),
      // Not the broker's log4j configuration: the tool would write into the broker's server.log.
      properties: { 'java.io.tmpdir': path.join(dir, 'tmp') },
      classpath: jars,
      mainClass: 'kafka.admin.ConfigCommand',
      args,
    },
    path.join(logsDir, 'kafka-configs.log'),
  );
}

async function start(progress: (step: string) => void): Promise<Detached> {
  const jars = await classpath(progress);

  // Regenerated on every start so a changed port takes effect; the data stays.
  renderTemplate(path.join(__dirname, 'kafka', 'server.properties'), propertiesFile, {
    host: broker.host,
    brokerPort: broker.port,
    controllerPort,
    logDirs,
    scramListener: scramListener(),
  });
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  const java = {
    optionsFile: path.join(__dirname, 'kafka', 'jvm.options'),
    properties: {
      'log4j.configuration': `file:${path.join(__dirname, 'kafka', 'log4j.properties')}`,
      'kafka.logs.dir': logsDir,
      'java.io.tmpdir': path.join(dir, 'tmp'), // codecs unpack native code there; /tmp may be noexec
    },
    classpath: jars,
  };

  // KRaft refuses to start on an unformatted log folder; formatting is a one-off tool that exits.
  if (!existsSync(path.join(logDirs, 'meta.properties'))) {
    progress('formatting the storage (first start) ...');
    const clusterId = randomClusterId();
    const formatArgs = [
      'format',
      '--cluster-id',
      clusterId,
      '--config',
      propertiesFile,
      '--ignore-formatted',
      ...scramFormatArgs(),
    ];
    await runJava(
      { ...java, mainClass: 'kafka.tools.StorageTool', args: formatArgs },
      path.join(logsDir, 'format.log'),
    );
  }
  return startJava({ ...java, mainClass: 'kafka.Kafka', args: [propertiesFile] }, consoleLog);
}

export const kafka: Service = {
  name: 'kafka',
  address: brokers.join(','),
  dir,
  pidFile: path.join(dir, 'kafka.pid'),
  processMarker: 'kafka.Kafka',
  readyTimeoutMs: 120_000,
  logFiles: [path.join(logsDir, 'server.log'), consoleLog],
  probe,
  start,
};
