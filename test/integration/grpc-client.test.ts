// The typed gRPC client against real grpc-js servers on 127.0.0.1: the test UserService of the runtime tests, and a
// scripted UserService whose GetUser ids pick a behaviour (record the metadata, hang, fail N times). Assertions are on
// counts and outcomes, never on how long something took beyond generous bounds.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { status, type ServiceError } from '@grpc/grpc-js';
import test, { type ExecutionContext } from 'ava';
import { z } from 'zod';
import { freePort } from '../../dev/local-stack/free-port';
import { GENERATED_DIR, renderProtoTypes } from '../../dev/proto-types';
import type { UserServiceDefinition } from '../../proto/generated/ecom/user/v1/UserService';
import type { User__Output } from '../../proto/generated/ecom/user/v1/User';
import { AppError } from '../../shared/errors/app-error';
import { SERVICE_UNAVAILABLE } from '../../shared/errors/unavailable';
import { traceparentOf } from '../../shared/grpc/call-metadata';
import { createGrpcClient, type GrpcClientOptions } from '../../shared/grpc/grpc-client';
import { unaryService, type GrpcService } from '../../shared/grpc/grpc-service';
import { loadProto, type LoadedProto } from '../../shared/grpc/load-proto';
import { startGrpcServer, type RunningGrpcServer } from '../../shared/grpc/start-grpc-server';
import { unary } from '../../shared/grpc/unary-method';
import { createLogger, type Logger } from '../../shared/log/logger';
import {
  fakeVerifier,
  SECRET_MESSAGE,
  USER_SERVICE,
  userTestService,
} from '../fixtures/grpc/user-test-service';

const ADMIN = { authorization: 'Bearer admin-token' };
const silent = createLogger('grpc-client-test', { level: 'silent' });

/** What the scripted service saw: calls per id, and the metadata of the last call of each id. */
const attempts = new Map<string, number>();
const seen = new Map<string, { requestId: string; traceparent: string | undefined }>();
/** Resolved by a `hang:` call's handler once the server sees the call cancelled (the client's deadline). */
const cancelled = new Map<string, () => void>();

// `record:<key>` answers a user; `hang:<key>` never answers; `unavailable:<key>:<n>` fails UNAVAILABLE n times, then
// answers; `missing:<key>` is NOT_FOUND.
function scriptedService(proto: LoadedProto): GrpcService {
  return unaryService({
    proto,
    name: USER_SERVICE,
    verify: fakeVerifier,
    logger: silent,
    methods: {
      GetUser: unary({
        auth: 'public',
        request: z.object({ id: z.string() }),
        handle: async ({ id }, { requestId, metadata, signal }) => {
          const count = (attempts.get(id) ?? 0) + 1;
          attempts.set(id, count);
          seen.set(id, { requestId, traceparent: traceparentOf(metadata) });
          const [behaviour, , failures] = id.split(':');
          if (behaviour === 'hang') {
            await new Promise((resolve) => {
              signal.addEventListener('abort', resolve);
            });
            cancelled.get(id)?.();
            throw new AppError('unavailable', 'TEST.GAVE_UP', 'Caller went away');
          }
          if (behaviour === 'unavailable' && count <= Number(failures)) {
            throw new AppError('unavailable', 'DB.DOWN', 'Database at 10.0.0.7 is down');
          }
          if (behaviour === 'missing') throw new AppError('not-found', 'USER.NOT_FOUND', 'No such user');
          return { id, email: 'x@example.com', name: 'X', role: 'ROLE_CUSTOMER', createdAt: '' };
        },
      }),
      ListUsers: unary({ auth: 'public', request: z.object({}), handle: () => ({}) }),
      GetCurrentSession: unary({ auth: 'public', request: z.object({}), handle: () => ({}) }),
      GetContact: unary({ auth: 'public', request: z.object({}), handle: () => ({}) }),
    },
  });
}

let proto: LoadedProto;
let users: RunningGrpcServer;
let scripted: RunningGrpcServer;
test.before(async () => {
  proto = await loadProto('user.proto');
  const start = (service: GrpcService) =>
    startGrpcServer({ port: 0, host: '127.0.0.1', services: [service], logger: silent });
  [users, scripted] = await Promise.all([
    start(userTestService(proto, silent)),
    start(scriptedService(proto)),
  ]);
});
test.after.always(() => Promise.all([users.stop(1000), scripted.stop(1000)]));

/** A client of one of the servers (closed after the test), with generous deadlines and short backoffs. */
function clientOf(t: ExecutionContext, port: number, options: Partial<GrpcClientOptions> = {}) {
  const client = createGrpcClient<UserServiceDefinition>({
    proto,
    service: USER_SERVICE,
    address: `127.0.0.1:${port}`,
    deadlineMs: 10_000,
    retry: { initialBackoffMs: 20 },
    ...options,
  });
  t.teardown(client.close);
  return client;
}

async function rejection(t: ExecutionContext, call: Promise<unknown>): Promise<AppError> {
  const error = await t.throwsAsync(call);
  if (!(error instanceof AppError)) throw new Error(`not an AppError: ${String(error)}`);
  return error;
}

const grpcCodeOf = (error: AppError) => (error.cause as ServiceError).code;

test('a call answers the typed response', async (t) => {
  const client = clientOf(t, users.port);
  const user: User__Output = await client.call('GetUser', { id: 'u-customer' }, ADMIN);
  t.deepEqual(user, {
    id: 'u-customer',
    email: 'c@example.com',
    name: 'Cy',
    role: 'ROLE_CUSTOMER',
    createdAt: '2025-02-01T00:00:00.000Z',
  });
  const page = await client.call('ListUsers', { pageSize: 1 }, ADMIN);
  t.like(page, { page: 1, pageSize: 1, total: 2, items: [{ id: 'u-admin' }] });
});

test('rpc names and requests are checked by the compiler', async (t) => {
  const client = clientOf(t, users.port);
  // @ts-expect-error: no such rpc
  await t.throwsAsync(client.call('DeleteUser', { id: 'u-admin' }), { message: /no unary rpc DeleteUser/ });
  // @ts-expect-error: GetUserRequest has no field `userId`
  await rejection(t, client.call('GetUser', { userId: 'u-admin' }, ADMIN));
});

test('an AppError of the server comes back with its kind, code, message and fields', async (t) => {
  const client = clientOf(t, users.port);
  const missing = await rejection(t, client.call('GetUser', { id: 'u-nobody' }, ADMIN));
  t.like(missing, { kind: 'not-found', code: 'USER.NOT_FOUND', message: 'No such user' });

  const invalid = await rejection(t, client.call('ListUsers', { pageSize: 101 }, ADMIN));
  t.like(invalid, { kind: 'invalid', code: 'REQUEST.INVALID' });
  t.is(invalid.fields.length, 1);
  t.like(invalid.fields[0], { field: 'pageSize' });

  const anonymous = await rejection(t, client.call('GetUser', { id: 'u-admin' }));
  t.like(anonymous, { kind: 'unauthenticated', code: 'AUTH.MISSING_TOKEN' });
  const customer = await rejection(
    t,
    client.call('ListUsers', {}, { authorization: 'Bearer customer-token' }),
  );
  t.like(customer, { kind: 'forbidden', code: 'AUTH.ADMIN_ONLY' });
});

test('an INTERNAL answer is unavailable, without the upstream details', async (t) => {
  const error = await rejection(t, clientOf(t, users.port).call('GetUser', { id: 'boom' }, ADMIN));
  t.like(error, { kind: 'unavailable', code: SERVICE_UNAVAILABLE });
  t.false(error.message.includes(SECRET_MESSAGE));
  t.is(grpcCodeOf(error), status.INTERNAL);
});

test('the request id and traceparent reach the server as metadata', async (t) => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  await clientOf(t, scripted.port).call('GetUser', { id: 'record:1' }, { requestId: 'req-42', traceparent });
  t.deepEqual(seen.get('record:1'), { requestId: 'req-42', traceparent });
});

test('a call that gets no answer fails as unavailable at its deadline, and the server sees it cancelled', async (t) => {
  const serverSawCancel = new Promise<void>((resolve) => cancelled.set('hang:1', resolve));
  const client = clientOf(t, scripted.port, { deadlineMs: 1000 });
  const started = Date.now();
  const error = await rejection(t, client.call('GetUser', { id: 'hang:1' }));
  t.true(Date.now() - started < 5000);
  t.like(error, { kind: 'unavailable', code: SERVICE_UNAVAILABLE });
  t.is(grpcCodeOf(error), status.DEADLINE_EXCEEDED);
  // DEADLINE_EXCEEDED is not retried: the time is up. On a machine slow enough that the deadline passed before the
  // call reached the server, the server never saw it (and so has nothing to cancel); otherwise it sees the cancel.
  const received = attempts.get('hang:1') ?? 0;
  t.true(received <= 1, `${String(received)} attempts`);
  if (received === 1) await serverSawCancel;
});

test('a per-call deadline overrides the client default, and an abort signal cancels the call', async (t) => {
  const client = clientOf(t, scripted.port, { deadlineMs: 60_000 });
  const timedOut = await rejection(t, client.call('GetUser', { id: 'hang:2' }, { deadlineMs: 200 }));
  t.is(grpcCodeOf(timedOut), status.DEADLINE_EXCEEDED);

  const abort = new AbortController();
  const call = client.call('GetUser', { id: 'hang:3' }, { signal: abort.signal });
  setTimeout(() => {
    abort.abort();
  }, 100);
  const aborted = await rejection(t, call);
  t.like(aborted, { kind: 'unavailable', code: SERVICE_UNAVAILABLE });
  t.is(grpcCodeOf(aborted), status.CANCELLED);
});

test('UNAVAILABLE is retried until the server answers', async (t) => {
  const user = await clientOf(t, scripted.port).call('GetUser', { id: 'unavailable:1:2' });
  t.is(user.id, 'unavailable:1:2');
  t.is(attempts.get('unavailable:1:2'), 3);
});

test('retries give up after the configured attempts, as unavailable', async (t) => {
  const client = clientOf(t, scripted.port, { retry: { attempts: 4, initialBackoffMs: 10 } });
  const error = await rejection(t, client.call('GetUser', { id: 'unavailable:2:100' }));
  t.like(error, { kind: 'unavailable', code: SERVICE_UNAVAILABLE });
  t.false(error.message.includes('10.0.0.7'));
  t.is(attempts.get('unavailable:2:100'), 4);
});

test('other failures are not retried', async (t) => {
  await rejection(t, clientOf(t, scripted.port).call('GetUser', { id: 'missing:1' }));
  t.is(attempts.get('missing:1'), 1);
});

test('a server that starts during the backoff is reached by a retry', async (t) => {
  const port = await freePort();
  let late: Promise<RunningGrpcServer> | undefined;
  const lines: unknown[] = [];
  // The first log line (a retry) says the first attempt found nobody: start the server then, during the backoff.
  const logger: Logger = createLogger(`grpc-client-test-${port}`, {
    level: 'info',
    write: (line) => {
      lines.push(JSON.parse(line));
      late ??= startGrpcServer({
        port,
        host: '127.0.0.1',
        services: [scriptedService(proto)],
        logger: silent,
      });
    },
  });
  const client = clientOf(t, port, {
    logger,
    retry: { attempts: 8, initialBackoffMs: 200, maxBackoffMs: 400 },
  });
  try {
    const user = await client.call('GetUser', { id: 'record:late' });
    t.is(user.id, 'record:late');
    t.true(lines.length >= 1);
    t.like(lines[0], { msg: 'gRPC call unavailable, retrying', attempt: 1 });
  } finally {
    await (await late)?.stop(1000);
  }
});

test('proto/generated is what dev/proto-types.ts renders from the protos', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'proto-types-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await renderProtoTypes(dir);
  const files = async (root: string) =>
    (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.ts')).sort();
  const rendered = await files(dir);
  t.deepEqual(await files(GENERATED_DIR), rendered, 'run `tsx dev/proto-types.ts`');
  for (const file of rendered) {
    const [fresh, committed] = await Promise.all([
      readFile(path.join(dir, file)).catch(() => Buffer.alloc(0)),
      readFile(path.join(GENERATED_DIR, file)).catch(() => Buffer.alloc(0)),
    ]);
    t.true(fresh.equals(committed), `${file} is stale: run \`tsx dev/proto-types.ts\``);
  }
});
