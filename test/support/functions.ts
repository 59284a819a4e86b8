import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { functionFolders } from '../../dev/build';
import { createFunctionInstance, type FunctionInstance } from '../../shared/kit/function-instance';
import { registeredFunction } from '../../shared/kit/register';
import type { Service } from '../../shared/kit/service-declaration';
import type { ServiceStores } from '../../shared/kit/service-stores';
import { startGrpcFunction } from '../../shared/kit/start-grpc-function';
import type { Logger } from '../../shared/log/logger';
import { createFunctionServer } from '../../shared/runtime/function-server';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../shared/runtime/read-body';
import { compilePath } from '../../shared/runtime/route-matcher';
import { testLogger } from './test-logger';
import { uniqueName } from './unique-name';

/** Functions served in this process on free ports, each built by the kit as its own process would build it. */
export interface RunningFunctions {
  /** The environment they were built from (process.env and the overrides). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether `name` runs here. */
  has(name: string): boolean;
  /** Where an HTTP or CloudEvent function listens, e.g. `http://127.0.0.1:40123`. */
  url(name: string): string;
  /** The stores of a function, as it reaches them. */
  stores(name: string): ServiceStores;
  /** Where a gRPC function listens, `127.0.0.1:<port>`. */
  grpcAddress(name: string): string;
  /** Sends a request to the function whose route matches, as the gateway would. */
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  /** Stops serving, then closes what each function opened (as SIGTERM does). */
  close(): Promise<void>;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const load = createRequire(__filename);

interface Served {
  readonly instance: FunctionInstance;
  readonly address: string;
  readonly stop: () => Promise<void>;
}

/**
 * Starts functions found in functions/<service>/<name>/ (importing an index.ts registers its function): those of
 * `service`, or those `names`, or all. Nothing is listed by hand, so a new function is served as soon as it exists.
 */
export async function startFunctions(options: {
  readonly service?: Service;
  readonly names?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What the functions log through; silent by default. */
  readonly logger?: Logger;
}): Promise<RunningFunctions> {
  const env = { ...process.env, ...options.env };
  const logger = options.logger ?? testLogger('functions-under-test');
  const folders = functionFolders().filter(
    (folder) =>
      (options.names === undefined || options.names.includes(folder.name)) &&
      (options.service === undefined || folder.service === options.service),
  );
  const missing = (options.names ?? []).filter((name) => !folders.some((folder) => folder.name === name));
  if (missing.length > 0) throw new Error(`no such function: ${missing.join(', ')}`);

  const served = new Map<string, Served>();
  const close = async () => {
    await Promise.all([...served.values()].map((fn) => fn.stop()));
    for (const { instance } of served.values()) await instance.close();
  };
  try {
    for (const folder of folders) {
      load(folder.entry); // registers the function
      // Every answer is checked against the API documents, as in the local stack.
      const instance = await createFunctionInstance(registeredFunction(folder.name), {
        env,
        logger,
        checkContract: true,
      });
      served.set(folder.name, await serve(instance));
    }
  } catch (error) {
    await close();
    throw error;
  }

  const routes = [...served.values()].flatMap(({ instance, address }) => {
    const { trigger } = instance.definition;
    if (trigger.kind !== 'http') return [];
    return trigger.routes.map((route) => ({ route, pattern: compilePath(route.path), url: address }));
  });
  const of = (name: string) => {
    const fn = served.get(name);
    if (!fn) throw new Error(`${name} is not running here`);
    return fn;
  };
  return {
    env,
    has: (name) => served.has(name),
    url: (name) => of(name).address,
    grpcAddress: (name) => of(name).address,
    stores: (name) => of(name).instance.stores,
    call(method, path, callOptions = {}) {
      const pathname = path.split('?')[0] ?? path;
      const target = routes.find((r) => r.route.method === method && r.pattern.match(pathname));
      if (!target) throw new Error(`no function serves ${method} ${pathname}`);
      return fetch(`${target.url}${path}`, request(method, callOptions));
    },
    close,
  };
}

/** The fetch options of a call: JSON body (a string is sent as it is), bearer token, extra headers. */
export function request(method: string, options: CallOptions): RequestInit {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const { body } = options;
  return {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  };
}

async function serve(instance: FunctionInstance): Promise<Served> {
  const logger = testLogger(instance.definition.name);
  if (instance.serves.kind === 'grpc') {
    // As its process starts and stops it, on a free port and a short grace period.
    const sidecar = await startGrpcFunction(instance, { logger, port: 0, host: '127.0.0.1' });
    return { instance, address: `127.0.0.1:${sidecar.port}`, stop: () => sidecar.stop(100) };
  }
  // functions-framework keeps one handler per name: a unique one lets two generations of a function run at once.
  const server = createFunctionServer(uniqueName(instance.definition.name), instance.serves.handler, {
    bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
    logger,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    instance,
    address: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
