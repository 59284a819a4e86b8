import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from '../../dev/local-stack/free-port';

const run = promisify(execFile);
const projectRoot = path.resolve(__dirname, '../..');

/** A Kafka broker of one test's own, started and stopped by the project's infra script, so it can be killed. */
export interface PrivateKafka {
  readonly brokers: readonly string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Kills the broker at once (SIGKILL), as a crash or a lost node would: whatever it was doing is cut. */
  kill(): void;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

export async function privateKafka(): Promise<PrivateKafka> {
  // The broker's port and its KRaft controller's, consecutive.
  const port = await freePorts(2);
  const dataDir = path.join(projectRoot, '.data', `test-kafka-${randomBytes(4).toString('hex')}`);
  seedClasspath(path.join(dataDir, 'kafka'));
  const env = { ...process.env, KAFKA_BROKERS: `127.0.0.1:${port}`, INFRA_DATA_DIR: dataDir };
  const cli = (command: string) =>
    run(process.execPath, ['--import', 'tsx', 'dev/infra/cli.ts', command, 'kafka'], {
      cwd: projectRoot,
      env,
      timeout: 120_000,
    });
  return {
    brokers: [`127.0.0.1:${port}`],
    start: async () => {
      await cli('up');
    },
    stop: async () => {
      await cli('down');
    },
    kill: () => {
      const pid = Number(readFileSync(path.join(dataDir, 'kafka', 'kafka.pid'), 'utf8').trim());
      process.kill(pid, 'SIGKILL');
    },
    destroy: async () => {
      await cli('down');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Hands the shared Kafka's Maven classpath (resolved by `npm run infra:up`) to a private broker's data folder, so
 * its start does not run Maven again: a Maven JVM per private broker cost 3 s on an idle machine and over a minute
 * on a loaded one, where it ran into the start's timeout. The cache is only a shortcut: maven-classpath.ts checks
 * its stamp (the pom, the Maven repository) and that every jar exists, and runs Maven when it does not hold.
 */
function seedClasspath(kafkaDir: string): void {
  const shared = path.join(path.resolve(projectRoot, process.env['INFRA_DATA_DIR'] ?? '.data'), 'kafka');
  const files = ['classpath.txt', 'classpath.stamp'];
  if (!files.every((file) => existsSync(path.join(shared, file)))) return;
  mkdirSync(kafkaDir, { recursive: true });
  for (const file of files) copyFileSync(path.join(shared, file), path.join(kafkaDir, file));
}
