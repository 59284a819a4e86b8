import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  Client,
  credentials,
  Metadata,
  status,
  type ClientReadableStream,
  type ServiceClientConstructor,
  type StatusObject,
} from '@grpc/grpc-js';
import test from 'ava';
import { z } from 'zod';
import { bundle } from '../../dev/bundle';
import {
  ERROR_CODE_KEY,
  ERROR_FIELDS_KEY,
  INTERNAL_ERROR_MESSAGE,
} from '../../shared/grpc/grpc-error-status';
import { AppError } from '../../shared/errors/app-error';
import { unaryService } from '../../shared/grpc/grpc-service';
import { HEALTH_PROTO, HEALTH_SERVICE_NAME } from '../../shared/grpc/health-service';
import { unary } from '../../shared/grpc/unary-method';
import { loadProto, type LoadedProto } from '../../shared/grpc/load-proto';
import { startGrpcServer, type RunningGrpcServer } from '../../shared/grpc/start-grpc-server';
import { createLogger, type Logger } from '../../shared/log/logger';
import { callUnary } from '../fixtures/grpc/call-unary';
import { BOOM_ID, SECRET_MESSAGE, USER_SERVICE, userTestService } from '../fixtures/grpc/user-test-service';

const ADMIN = { authorization: 'Bearer admin-token' };
const CUSTOMER = { authorization: 'Bearer customer-token' };
const root = path.resolve(__dirname, '../..');

interface Harness {
  readonly server: RunningGrpcServer;
  readonly users: { readonly client: Client; readonly service: ServiceClientConstructor };
  readonly health: { readonly client: Client; readonly service: ServiceClientConstructor };
  readonly lines: Record<string, unknown>[];
}

function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(`grpc-test-${Math.random()}`, {
    level: 'debug',
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, lines };
}

/** A server on an ephemeral port of 127.0.0.1 with the test UserService, and clients over a real channel. */
async function startHarness(): Promise<Harness> {
  const { logger, lines } = captureLogger();
  const [userProto, healthProto] = await Promise.all([loadProto('user.proto'), loadProto(HEALTH_PROTO)]);
  const server = await startGrpcServer({
    port: 0,
    host: '127.0.0.1',
    services: [userTestService(userProto, logger)],
    logger,
  });
  const connect = (proto: LoadedProto, name: string) => {
    const service = proto.client(name);
    return { service, client: new service(`127.0.0.1:${server.port}`, credentials.createInsecure()) };
  };
  return {
    server,
    users: connect(userProto, USER_SERVICE),
    health: connect(healthProto, HEALTH_SERVICE_NAME),
    lines,
  };
}

function closeHarness({ server, users, health }: Harness): Promise<void> {
  users.client.close();
  health.client.close();
  return server.stop(1000);
}

/** Opens a health Watch; `next()` resolves with each status message, `end` with the final call status. */
function watchHealth({ health }: Harness, service = '') {
  const definition = health.service.service['Watch'];
  if (definition === undefined) throw new Error('no Watch');
  const stream: ClientReadableStream<unknown> = health.client.makeServerStreamRequest(
    definition.path,
    definition.requestSerialize,
    definition.responseDeserialize,
    { service },
    new Metadata(),
    {},
  );
  const received: unknown[] = [];
  const waiting: ((message: unknown) => void)[] = [];
  stream.on('data', (message: unknown) => {
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else received.push(message);
  });
  // The status ends the call; 'error' repeats it for non-OK ends and must be listened to.
  stream.on('error', () => undefined);
  const end = new Promise<StatusObject>((resolve) => stream.once('status', resolve));
  const next = () =>
    new Promise<unknown>((resolve) => {
      if (received.length > 0) resolve(received.shift());
      else waiting.push(resolve);
    });
  return {
    next,
    end,
    cancel: () => {
      stream.cancel();
    },
  };
}

let shared: Harness;
test.before(async () => {
  shared = await startHarness();
});
test.after.always(async () => {
  await closeHarness(shared);
});

const checkHealth = (service = '') =>
  callUnary(shared.health.client, shared.health.service, 'Check', { service });
const users = (method: string, request: object, headers?: Record<string, string>) =>
  callUnary(shared.users.client, shared.users.service, method, request, headers);

test('health Check answers SERVING for the server and its services, NOT_FOUND for others', async (t) => {
  t.like(await checkHealth(), { code: status.OK, response: { status: 'SERVING' } });
  t.like(await checkHealth(USER_SERVICE), { code: status.OK, response: { status: 'SERVING' } });
  t.is((await checkHealth('ecom.nope.v1.Nope')).code, status.NOT_FOUND);
});

test('health Watch sends the current status and stays open until cancelled', async (t) => {
  const watch = watchHealth(shared);
  t.deepEqual(await watch.next(), { status: 'SERVING' });
  watch.cancel();
  t.is((await watch.end).code, status.CANCELLED);
});

test('health Watch of an unknown service sends SERVICE_UNKNOWN, then its status once it is set', async (t) => {
  const watch = watchHealth(shared, 'ecom.later.v1.Later');
  t.deepEqual(await watch.next(), { status: 'SERVICE_UNKNOWN' });
  shared.server.health.set('ecom.later.v1.Later', 'SERVING');
  t.deepEqual(await watch.next(), { status: 'SERVING' });
  watch.cancel();
});

test('an authenticated method without a token answers UNAUTHENTICATED', async (t) => {
  const outcome = await users('GetUser', { id: 'u-customer' });
  t.is(outcome.code, status.UNAUTHENTICATED);
  t.deepEqual(outcome.trailers.get(ERROR_CODE_KEY), ['AUTH.MISSING_TOKEN']);
});

test('a bad token answers UNAUTHENTICATED', async (t) => {
  const outcome = await users('GetUser', { id: 'u-customer' }, { authorization: 'Bearer forged' });
  t.is(outcome.code, status.UNAUTHENTICATED);
  t.deepEqual(outcome.trailers.get(ERROR_CODE_KEY), ['AUTH.INVALID_TOKEN']);
});

test('an admin method answers PERMISSION_DENIED to a customer', async (t) => {
  const outcome = await users('ListUsers', { page: 1, pageSize: 10 }, CUSTOMER);
  t.is(outcome.code, status.PERMISSION_DENIED);
  t.deepEqual(outcome.trailers.get(ERROR_CODE_KEY), ['AUTH.ADMIN_ONLY']);
});

test('an admin method answers an admin, with the request defaults of proto3 applied', async (t) => {
  const outcome = await users('ListUsers', {}, ADMIN);
  t.is(outcome.code, status.OK, outcome.details);
  t.like(outcome.response, { page: 1, pageSize: 20, total: 2 });
  t.like(outcome.response, {
    items: [{ id: 'u-admin', role: 'ROLE_ADMIN', createdAt: '2025-01-01T00:00:00.000Z' }],
  });
});

test('a customer reads themselves, and NOT_FOUND for anyone else', async (t) => {
  t.like(await users('GetUser', { id: 'u-customer' }, CUSTOMER), {
    code: status.OK,
    response: { id: 'u-customer', email: 'c@example.com', role: 'ROLE_CUSTOMER' },
  });
  t.is((await users('GetUser', { id: 'u-admin' }, CUSTOMER)).code, status.NOT_FOUND);
});

test('an invalid request answers INVALID_ARGUMENT naming the fields', async (t) => {
  const empty = await users('GetUser', { id: '' }, ADMIN);
  t.is(empty.code, status.INVALID_ARGUMENT);
  t.regex(empty.details, /\bid\b/);
  t.deepEqual(empty.trailers.get(ERROR_CODE_KEY), ['REQUEST.INVALID']);
  const [fields] = empty.trailers.get(ERROR_FIELDS_KEY);
  t.true(Buffer.isBuffer(fields));
  t.like(JSON.parse(String(fields)), [{ field: 'id' }]);

  const tooBig = await users('ListUsers', { page: 1, pageSize: 101 }, ADMIN);
  t.is(tooBig.code, status.INVALID_ARGUMENT);
  t.regex(tooBig.details, /pageSize/);
});

test('an AppError of the handler maps to its status, with its code in the trailers', async (t) => {
  const outcome = await users('GetUser', { id: 'u-nobody' }, ADMIN);
  t.is(outcome.code, status.NOT_FOUND);
  t.is(outcome.details, 'No such user');
  t.deepEqual(outcome.trailers.get(ERROR_CODE_KEY), ['USER.NOT_FOUND']);
});

test('an unexpected error answers INTERNAL without its message, which only the log sees', async (t) => {
  const outcome = await users('GetUser', { id: BOOM_ID }, { ...ADMIN, 'x-request-id': 'req-boom-1' });
  t.is(outcome.code, status.INTERNAL);
  t.is(outcome.details, INTERNAL_ERROR_MESSAGE);
  t.false(outcome.details.includes('hunter2'));
  t.deepEqual(outcome.trailers.get('x-request-id'), ['req-boom-1']);
  const logged = shared.lines.find((line) => line['requestId'] === 'req-boom-1' && line['level'] === 'error');
  t.like(logged, { method: '/ecom.user.v1.UserService/GetUser', error: { message: SECRET_MESSAGE } });
});

test('the request id comes from x-request-id when a plain token of at most 128 characters, else is new; the trailers echo it', async (t) => {
  const idOf = async (given: string) => {
    const outcome = await users('GetUser', { id: 'u-customer' }, { ...CUSTOMER, 'x-request-id': given });
    t.is(outcome.code, status.OK);
    return String(outcome.trailers.get('x-request-id')[0]);
  };
  const kept = ['req-42', 'A.b_c:d-9', 'a'.repeat(128)];
  t.deepEqual(await Promise.all(kept.map(idOf)), kept);
  // grpc-js itself refuses a metadata value with a newline or a tab, so none can arrive.
  const replaced = ['a'.repeat(129), 'two words', 'a;b', 'a"b'];
  const fresh = await Promise.all(replaced.map(idOf));
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  for (const id of fresh) t.regex(id, uuid);
  t.is(new Set(fresh).size, replaced.length, 'each one new');
});

test('stop turns health NOT_SERVING, ends Watch streams and shuts down well within the grace period', async (t) => {
  const harness = await startHarness();
  t.teardown(() => {
    harness.users.client.close();
    harness.health.client.close();
  });
  const watch = watchHealth(harness);
  t.deepEqual(await watch.next(), { status: 'SERVING' });

  const started = Date.now();
  const stopped = harness.server.stop(10_000);
  t.is(harness.server.health.get(''), 'NOT_SERVING');
  t.is(harness.server.health.get(USER_SERVICE), 'NOT_SERVING');
  t.deepEqual(await watch.next(), { status: 'NOT_SERVING' });
  t.is((await watch.end).code, status.UNAVAILABLE);
  t.is(harness.server.stop(), stopped, 'stop is idempotent');
  await stopped;
  t.true(Date.now() - started < 5000, 'an open Watch does not hold the shutdown until the grace period ends');
});

test('a bundled sidecar finds proto/ beside index.js, serves, and exits 0 on SIGTERM', async (t) => {
  const scratch = path.join(root, '.data/test-bundles');
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(path.join(scratch, 'grpc-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const { outfile } = await bundle(
    path.join(root, 'test/fixtures/grpc/bundle-entry.ts'),
    path.join(dir, 'index.js'),
  );
  cpSync(path.join(root, 'proto'), path.join(dir, 'proto'), { recursive: true });

  // Without PROTO_DIR, so the bundle must find proto/ beside itself.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'info' };
  delete env['PROTO_DIR'];
  const child = spawn(process.execPath, [outfile], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => child.kill('SIGKILL'));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let port: number | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    const record = JSON.parse(line) as { msg?: string; port?: number };
    if (record.msg === 'gRPC server listening') {
      port = record.port;
      break;
    }
  }
  if (port === undefined) throw new Error('the bundle did not start listening');

  const proto = await loadProto(HEALTH_PROTO);
  const service = proto.client(HEALTH_SERVICE_NAME);
  const client = new service(`127.0.0.1:${port}`, credentials.createInsecure());
  t.like(await callUnary(client, service, 'Check', { service: USER_SERVICE }), {
    response: { status: 'SERVING' },
  });
  client.close();

  child.kill('SIGTERM');
  t.is(await exited, 0);
});

test('a public method needs no token, never asks the verifier, and its handler sees no caller', async (t) => {
  const { logger } = captureLogger();
  const proto = await loadProto('user.proto');
  let verifierCalls = 0;
  const principals: unknown[] = [];
  const server = await startGrpcServer({
    port: 0,
    host: '127.0.0.1',
    logger,
    services: [
      unaryService({
        proto,
        name: USER_SERVICE,
        verify: () => {
          verifierCalls += 1;
          throw new AppError('unauthenticated', 'AUTH.INVALID_TOKEN', 'Invalid token');
        },
        logger,
        methods: {
          GetUser: unary({
            auth: 'public',
            request: z.object({ id: z.string() }),
            handle: ({ id }, { principal }) => {
              principals.push(principal);
              return { id, email: 'public@example.com', name: 'P', role: 'ROLE_CUSTOMER', createdAt: '' };
            },
          }),
          ListUsers: unary({
            auth: 'admin',
            request: z.object({}),
            handle: () => ({ items: [], page: 1, pageSize: 20, total: 0 }),
          }),
          GetCurrentSession: unary({ auth: 'admin', request: z.object({}), handle: () => ({}) }),
          GetContact: unary({ auth: 'admin', request: z.object({}), handle: () => ({}) }),
        },
      }),
    ],
  });
  t.teardown(() => server.stop(100));
  const Users = proto.client(USER_SERVICE);
  const client = new Users(`127.0.0.1:${server.port}`, credentials.createInsecure());
  t.teardown(() => {
    client.close();
  });
  t.like(await callUnary(client, Users, 'GetUser', { id: 'u-1' }), {
    code: status.OK,
    response: { id: 'u-1' },
  });
  t.like(await callUnary(client, Users, 'GetUser', { id: 'u-2' }, { authorization: 'Bearer garbage' }), {
    code: status.OK,
  });
  t.deepEqual(principals, [undefined, undefined]);
  t.is(verifierCalls, 0);
  t.is(
    (await callUnary(client, Users, 'ListUsers', {})).code,
    status.UNAUTHENTICATED,
    'other levels still check',
  );
  t.is(verifierCalls, 1);
});
