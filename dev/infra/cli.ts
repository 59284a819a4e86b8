// npm run infra:up | infra:down | infra:status (and `tsx dev/infra/cli.ts reset`, `up --fresh`):
// real Kafka, Cassandra, MariaDB and Zipkin for the tests and the local stack, data and logs under .data/.
import { rmSync } from 'node:fs';
import { cassandra } from './cassandra';
import { infraEnv } from './infra-env';
import { kafka } from './kafka';
import { down, status, up, type Service } from './lifecycle';
import { mariadb } from './mariadb';
import { fileSize, LoggedError, logSince } from './process-control';
import { zipkin } from './zipkin';

const allServices: readonly Service[] = [kafka, cassandra, mariadb, zipkin];
const [command, ...args] = process.argv.slice(2);
const flags = args.filter((arg) => arg.startsWith('--'));
// `up kafka` acts on Kafka alone (a test's private broker, say); no names means every service.
const named = args.filter((arg) => !arg.startsWith('--'));
const services =
  named.length === 0 ? allServices : allServices.filter((service) => named.includes(service.name));
const width = Math.max(...allServices.map((service) => service.name.length));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function print(service: Service, text: string): void {
  console.log(`${service.name.padEnd(width)}  ${text}`);
}

function printFailure(service: Service, error: unknown, logOffsets: ReadonlyMap<string, number>): void {
  print(service, `FAILED: ${error instanceof Error ? error.message : String(error)}`);
  const logs = error instanceof LoggedError ? [error.logFile] : service.logFiles;
  for (const log of logs) {
    const { errors, tail } = logSince(log, logOffsets.get(log) ?? 0);
    if (tail.length === 0) continue;
    if (errors.length > 0) console.error(`--- first errors in ${log} ---\n${errors.join('\n')}`);
    console.error(`--- last lines of ${log} ---\n${tail.join('\n')}\n--- end of ${log} ---`);
  }
}

/** Starts what is not running yet, all services at once (the JVM starts overlap), one line per service. */
async function upAll(): Promise<boolean> {
  const results = await Promise.all(
    services.map(async (service) => {
      // Logs are appended across starts: on failure show only what this start wrote.
      const logOffsets = new Map(service.logFiles.map((log) => [log, fileSize(log)]));
      try {
        const result = await up(service, (step) => {
          print(service, step);
        });
        const how = `${result.how} (${result.pid === undefined ? 'not ours' : `pid ${result.pid}`})`;
        print(service, `ready in ${seconds(result.readyMs)}, ${how}, ${service.address}, ${result.version}`);
        return true;
      } catch (error) {
        printFailure(service, error, logOffsets);
        return false;
      }
    }),
  );
  return results.every(Boolean);
}

async function downAll(): Promise<void> {
  await Promise.all(
    services.map(async (service) => {
      print(service, await down(service));
    }),
  );
}

async function statusAll(): Promise<void> {
  await Promise.all(
    services.map(async (service) => {
      const { state, pid, version } = await status(service);
      const owner =
        pid === undefined ? (state === 'running' ? 'not started by infra:up' : '-') : `pid ${pid}`;
      print(service, `${state}, ${owner}, ${service.address}${version ? `, ${version}` : ''}`);
    }),
  );
}

/** Stops the services and deletes their folders (data, logs, cached classpath); .data itself stays. */
async function reset(): Promise<void> {
  await downAll();
  for (const service of services) rmSync(service.dir, { recursive: true, force: true });
  console.log(`deleted the service folders under ${infraEnv.dataDir}`);
}

async function main(): Promise<number> {
  const unknown = named.filter((name) => !allServices.some((service) => service.name === name));
  switch (unknown.length > 0 ? 'usage' : command) {
    case 'up':
      if (flags.includes('--fresh')) await reset();
      return (await upAll()) ? 0 : 1;
    case 'down':
      await downAll();
      return 0;
    case 'status':
      await statusAll();
      return 0;
    case 'reset':
      await reset();
      return 0;
    default:
      console.error(
        'usage: tsx dev/infra/cli.ts up [--fresh] | down | status | reset  [kafka] [cassandra] [mariadb] [zipkin]',
      );
      return 2;
  }
}

main().then(
  (code) => process.exit(code), // client libraries may keep sockets or timers alive: do not wait for them
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
