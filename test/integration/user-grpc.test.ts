import { randomUUID } from 'node:crypto';
import { credentials, status, type Client, type ServiceClientConstructor } from '@grpc/grpc-js';
import test, { type ExecutionContext } from 'ava';
import { USER_GRPC_SERVICE } from '../../functions/user/user-grpc/function';
import { HEALTH_PROTO, HEALTH_SERVICE_NAME } from '../../shared/grpc/health-service';
import type { User__Output } from '../../proto/generated/ecom/user/v1/User';
import type { UserServiceDefinition } from '../../proto/generated/ecom/user/v1/UserService';
import { DEV_INTERNAL_TOKEN, INTERNAL_TOKEN_KEY } from '../../shared/auth/internal-token';
import { createGrpcClient } from '../../shared/grpc/grpc-client';
import { loadProto } from '../../shared/grpc/load-proto';
import { callUnary } from '../fixtures/grpc/call-unary';
import { ADMIN, startUserService, type UserServiceUnderTest } from '../support/user-service';

let api: UserServiceUnderTest;
let users: { client: Client; service: ServiceClientConstructor };
let health: { client: Client; service: ServiceClientConstructor };

test.before(async () => {
  // Every user function, the sidecar among them, served as its process serves it.
  api = await startUserService();
  const address = api.grpcAddress('user-grpc');
  const userClient = (await loadProto('user.proto')).client(USER_GRPC_SERVICE);
  users = { client: new userClient(address, credentials.createInsecure()), service: userClient };
  const healthClient = (await loadProto(HEALTH_PROTO)).client(HEALTH_SERVICE_NAME);
  health = { client: new healthClient(address, credentials.createInsecure()), service: healthClient };
});
test.after.always(async () => {
  users.client.close();
  health.client.close();
  await api.close();
});

async function account() {
  const email = `grpc-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'a long enough password';
  const registered = (await answered(
    await api.call('POST', '/v1/auth/register', { body: { email, password, name: 'Grace' } }),
  )) as { id: string };
  const bearer = await signIn(email, password);
  return { id: registered.id, email, bearer };
}

/** The answer's body; a refusal fails the test here, with its status and problem, not later as a bad token. */
async function answered(response: Response): Promise<unknown> {
  if (!response.ok) throw new Error(`${response.url}: ${String(response.status)} ${await response.text()}`);
  return response.json();
}

async function signIn(email: string, password: string) {
  const tokens = (await answered(
    await api.call('POST', '/v1/auth/login', { body: { email, password } }),
  )) as {
    accessToken: string;
  };
  return { authorization: `Bearer ${tokens.accessToken}` };
}

/** The typed client of shared/grpc on the running sidecar, closed after the test. */
async function typedClient(t: ExecutionContext) {
  const client = createGrpcClient<UserServiceDefinition>({
    proto: await loadProto('user.proto'),
    service: USER_GRPC_SERVICE,
    address: api.grpcAddress('user-grpc'),
  });
  t.teardown(() => {
    client.close();
  });
  return client;
}

const adminBearer = () => signIn(ADMIN.email, ADMIN.password);

const call = (method: string, request: object, headers: Record<string, string> = {}) =>
  callUnary(users.client, users.service, method, request, headers);

test('the health service answers SERVING for the server and for UserService', async (t) => {
  for (const service of ['', USER_GRPC_SERVICE]) {
    const outcome = await callUnary(health.client, health.service, 'Check', { service });
    t.like(outcome, { code: status.OK, response: { status: 'SERVING' } });
  }
});

test('GetUser: a customer reads themselves; anyone else is NOT_FOUND', async (t) => {
  const me = await account();
  const other = await account();
  const own = await call('GetUser', { id: me.id }, me.bearer);
  t.is(own.code, status.OK);
  t.like(own.response, { id: me.id, email: me.email, name: 'Grace', role: 'ROLE_CUSTOMER' });
  t.is((await call('GetUser', { id: other.id }, me.bearer)).code, status.NOT_FOUND);
  t.is((await call('GetUser', { id: randomUUID() }, me.bearer)).code, status.NOT_FOUND);
});

test('GetUser: admins read anyone; unknown ids are NOT_FOUND with the error code', async (t) => {
  const someone = await account();
  const admin = await adminBearer();
  t.like((await call('GetUser', { id: someone.id }, admin)).response, { id: someone.id });
  const missing = await call('GetUser', { id: randomUUID() }, admin);
  t.is(missing.code, status.NOT_FOUND);
  t.deepEqual(missing.trailers.get('error-code'), ['USER.NOT_FOUND']);
});

test('ListUsers is for admins: customers PERMISSION_DENIED, anonymous UNAUTHENTICATED', async (t) => {
  const customer = await account();
  const admin = await adminBearer();
  const listed = await call('ListUsers', { page: 1, pageSize: 2 }, admin);
  t.is(listed.code, status.OK);
  t.like(listed.response, { page: 1, pageSize: 2 });
  t.is((listed.response as { items: unknown[] }).items.length, 2);
  t.is((await call('ListUsers', { page: 1, pageSize: 2 }, customer.bearer)).code, status.PERMISSION_DENIED);
  t.is((await call('ListUsers', { page: 1, pageSize: 2 })).code, status.UNAUTHENTICATED);
  t.is(
    (await call('ListUsers', { page: 1, pageSize: 2 }, { authorization: 'Bearer forged.token.here' })).code,
    status.UNAUTHENTICATED,
  );
});

test('invalid arguments are INVALID_ARGUMENT naming the field', async (t) => {
  const admin = await adminBearer();
  const badId = await call('GetUser', { id: 'not-a-uuid' }, admin);
  t.is(badId.code, status.INVALID_ARGUMENT);
  t.regex(badId.details, /id/);
  const badSize = await call('ListUsers', { page: 1, pageSize: 101 }, admin);
  t.is(badSize.code, status.INVALID_ARGUMENT);
  t.regex(badSize.details, /pageSize/);
});

test('the typed client reaches the running sidecar: typed answers, and refusals as AppErrors with their codes', async (t) => {
  const client = await typedClient(t);
  const me = await account();
  const user: User__Output = await client.call(
    'GetUser',
    { id: me.id },
    { authorization: me.bearer.authorization },
  );
  t.like(user, { id: me.id, email: me.email, role: 'ROLE_CUSTOMER' });

  const missing = await t.throwsAsync(
    client.call('GetUser', { id: randomUUID() }, { authorization: (await adminBearer()).authorization }),
  );
  t.like(missing, { kind: 'not-found', code: 'USER.NOT_FOUND' });
  const anonymous = await t.throwsAsync(client.call('ListUsers', { page: 1, pageSize: 1 }));
  t.like(anonymous, { kind: 'unauthenticated', code: 'AUTH.MISSING_TOKEN' });
});

test('GetCurrentSession answers the caller and their current role; an ended session is UNAUTHENTICATED', async (t) => {
  const client = await typedClient(t);
  const me = await account();
  const session = await client.call('GetCurrentSession', {}, me.bearer);
  t.like(session, { userId: me.id, role: 'ROLE_CUSTOMER' });
  t.regex(session.sessionId, /^[0-9a-f-]{36}$/);
  const admin = await adminBearer();
  const revoked = await api.call('DELETE', `/v1/users/${me.id}/sessions`, {
    token: admin.authorization.replace('Bearer ', ''),
  });
  t.is(revoked.status, 204);
  const ended = await t.throwsAsync(client.call('GetCurrentSession', {}, me.bearer));
  t.like(ended, { kind: 'unauthenticated', code: 'AUTH.SESSION_ENDED' });
});

test('GetContact answers a user to the shop services only: the internal token or UNAUTHENTICATED', async (t) => {
  const client = await typedClient(t);
  const me = await account();
  const internal = { metadata: { [INTERNAL_TOKEN_KEY]: DEV_INTERNAL_TOKEN } };
  t.deepEqual(await client.call('GetContact', { userId: me.id }, internal), {
    userId: me.id,
    email: me.email,
    name: 'Grace',
  });
  const missing = await t.throwsAsync(client.call('GetContact', { userId: randomUUID() }, internal));
  t.like(missing, { kind: 'not-found', code: 'USER.NOT_FOUND' });
  for (const options of [{}, me.bearer, { metadata: { [INTERNAL_TOKEN_KEY]: `${DEV_INTERNAL_TOKEN}x` } }]) {
    const refused = await t.throwsAsync(client.call('GetContact', { userId: me.id }, options));
    t.like(refused, { kind: 'unauthenticated', code: 'AUTH.INTERNAL_ONLY' });
  }
});
