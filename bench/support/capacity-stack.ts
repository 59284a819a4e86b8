// The processes bench/capacity.ts measures: each function from its bundle in its own process, on databases, a
// keyspace and an events topic of the bench's own. No broker reads the topic, so the events a measured function
// publishes cost it the publish and nothing else runs on the machine's cores meanwhile; the CloudEvent functions
// get their events from the bench, one POST each, as the broker delivers them.
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { functionDefinition, functionFolders } from '../../dev/build';
import { freePort } from '../../dev/local-stack/free-port';
import { startFunctionProcess, type FunctionProcess } from '../../dev/local-stack/function-process';
import { prepareDatabases, serviceDeclarationsOf } from '../../dev/local-stack/prepare-databases';
import type { FunctionDefinition } from '../../shared/kit/function-definition';
import type { Service } from '../../shared/kit/service-declaration';
import { eventsTopic } from './events-topic';

const root = path.resolve(__dirname, '../..');

export interface CapacityStack {
  readonly definitions: readonly FunctionDefinition[];
  readonly databases: Readonly<Record<Service, string>>;
  readonly mysql: Connection;
  /** The function's base URL (its gRPC address for a sidecar), started on first use. */
  url(name: string): Promise<string>;
  /** Stops a function that is not needed any more (its memory back for the next one). */
  release(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Functions the others call: kept running for the whole bench once started. */
const SHARED = new Set(['user-grpc', 'product-grpc', 'login', 'register']);

export async function startCapacityStack(): Promise<CapacityStack> {
  const suffix = randomUUID().slice(0, 8);
  const databases: Record<Service, string> = {
    user: `bench_cap_user_${suffix}`,
    order: `bench_cap_order_${suffix}`,
    product: `bench_cap_product_${suffix}`,
  };
  const topic = `bench-capacity-${suffix}`;
  const deleteTopic = await eventsTopic(topic);
  const definitions = functionFolders().map((folder) => functionDefinition(folder));
  const ports = new Map<string, number>();
  for (const { name } of definitions) ports.set(name, await freePort());
  const inherited = { ...process.env };
  delete inherited['JWT_PRIVATE_KEY'];
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: 'development',
    DB_DIALECT: 'mysql',
    HISTORY_BACKEND: 'cassandra',
    CASSANDRA_KEYSPACE: `bench_cap_${suffix}`,
    EVENTS_TOPIC: topic,
    INTERNAL_TOKEN: randomBytes(32).toString('base64url'),
    USER_GRPC_ADDRESS: `127.0.0.1:${String(ports.get('user-grpc'))}`,
    PRODUCT_GRPC_ADDRESS: `127.0.0.1:${String(ports.get('product-grpc'))}`,
    LOG_LEVEL: 'error',
  };
  const envFor = (service: Service) => ({ ...env, MYSQL_DATABASE: databases[service] });
  await prepareDatabases(serviceDeclarationsOf(definitions), envFor);
  const mysql = await createConnection({ host: '127.0.0.1', user: 'root' });

  const running = new Map<string, Promise<FunctionProcess>>();
  const start = (name: string) => {
    const definition = definitions.find((candidate) => candidate.name === name);
    if (!definition) throw new Error(`no function ${name}`);
    const started = startFunctionProcess(definition, {
      dist: path.join(root, 'dist'),
      port: ports.get(name) ?? 0,
      env: envFor(definition.service.name),
    });
    running.set(name, started);
    return started;
  };
  const url = async (name: string) => (await (running.get(name) ?? start(name))).url;
  // The sidecars the others call (admin routes' session checks, notify's contact, place-order's quote).
  await Promise.all([url('user-grpc'), url('product-grpc')]);
  const stopOne = async (name: string) => {
    const started = running.get(name);
    running.delete(name);
    await (await started)?.stop();
  };
  return {
    definitions,
    databases,
    mysql,
    url,
    release: (name) => (SHARED.has(name) ? Promise.resolve() : stopOne(name)),
    stop: async () => {
      const names = [...running.keys()];
      await Promise.allSettled(names.filter((name) => !name.endsWith('-grpc')).map(stopOne));
      await Promise.allSettled(names.filter((name) => name.endsWith('-grpc')).map(stopOne));
      for (const name of Object.values(databases)) await mysql.query(`DROP DATABASE IF EXISTS ${name}`);
      await mysql.end();
      await deleteTopic();
    },
  };
}
