// A store that cannot be reached is one outcome everywhere, through the service kit: HTTP 503 problem+json with
// code SERVICE.UNAVAILABLE and Retry-After, saying nothing internal; gRPC UNAVAILABLE; and, once the store is
// back, the next request works (a failed open is tried again, lost connections are replaced).
import { credentials, status } from '@grpc/grpc-js';
import test, { type ExecutionContext } from 'ava';
import { USER_GRPC_SERVICE } from '../../functions/user/user-grpc/function';
import { signAccessToken } from '../../shared/auth/access-token-signer';
import { AccessTokenSignerEnv } from '../../shared/auth/signer-config';
import { MysqlEnv } from '../../shared/config/env-schemas';
import { loadConfig } from '../../shared/config/load-config';
import { ERROR_CODE_KEY } from '../../shared/grpc/grpc-error-status';
import { loadProto } from '../../shared/grpc/load-proto';
import { callUnary } from '../fixtures/grpc/call-unary';
import { startFunctions } from '../support/functions';
import { tcpProxy } from '../support/tcp-proxy';
import { uniqueName } from '../support/unique-name';
import { dropDatabase } from '../support/sql-fixture';
import { startUserService } from '../support/user-service';

const mysql = loadConfig(MysqlEnv);
const mariadb = { host: mysql.MYSQL_HOST, port: mysql.MYSQL_PORT };

/** What a client must see for an unreachable store: the documented problem, and nothing of the cause. */
async function assertUnavailable(t: ExecutionContext, response: Response, what: string): Promise<void> {
  t.is(response.status, 503, what);
  t.is(response.headers.get('content-type'), 'application/problem+json', what);
  t.is(response.headers.get('retry-after'), '2', what);
  const body = (await response.json()) as Record<string, unknown>;
  t.deepEqual(Object.keys(body).sort(), ['code', 'detail', 'status', 'title', 'type'], what);
  t.like(body, { status: 503, code: 'SERVICE.UNAVAILABLE', title: 'Service Unavailable' }, what);
  t.notRegex(JSON.stringify(body), /ECONN|PROTOCOL|mysql|maria|sequelize|3306|127\.0\.0\.1|\.js:\d/i, what);
}

test('with the database cut off, register, login, user-query and user-grpc answer SERVICE.UNAVAILABLE, then recover', async (t) => {
  const proxy = await tcpProxy(mariadb);
  t.teardown(() => proxy.close());
  const users = await startUserService({ MYSQL_PORT: String(proxy.port) });
  t.teardown(() => users.close());
  const account = { email: `${uniqueName('cut')}@example.com`, password: 'a long enough password' };
  const registered = await users.call('POST', '/v1/auth/register', { body: { ...account, name: 'C' } });
  t.is(registered.status, 201);
  const { id } = (await registered.json()) as { id: string };
  const login = await users.call('POST', '/v1/auth/login', { body: account });
  const { accessToken } = (await login.json()) as { accessToken: string };

  proxy.cut();
  const another = {
    email: `${uniqueName('cut')}@example.com`,
    password: 'a long enough password',
    name: 'D',
  };
  await assertUnavailable(t, await users.call('POST', '/v1/auth/register', { body: another }), 'register');
  await assertUnavailable(t, await users.call('POST', '/v1/auth/login', { body: account }), 'login');
  await assertUnavailable(t, await users.call('GET', '/v1/users/me', { token: accessToken }), 'user-query');

  const Client = (await loadProto('user.proto')).client(USER_GRPC_SERVICE);
  const client = new Client(users.grpcAddress('user-grpc'), credentials.createInsecure());
  t.teardown(() => {
    client.close();
  });
  const failure = await callUnary(
    client,
    Client,
    'GetUser',
    { id },
    { authorization: `Bearer ${accessToken}` },
  );
  t.is(failure.code, status.UNAVAILABLE);
  t.deepEqual(failure.trailers.get(ERROR_CODE_KEY), ['SERVICE.UNAVAILABLE']);
  t.notRegex(failure.details, /ECONN|PROTOCOL|mysql|3306/i);

  proxy.restore();
  t.is((await users.call('POST', '/v1/auth/register', { body: another })).status, 201, 'register recovers');
  t.is((await users.call('POST', '/v1/auth/login', { body: account })).status, 200, 'login recovers');
});

test('order-query answers SERVICE.UNAVAILABLE while its database was never reachable, and serves once it is', async (t) => {
  const proxy = await tcpProxy(mariadb);
  t.teardown(() => proxy.close());
  proxy.cut();
  const database = uniqueName('test_order_cut');
  const orders = await startFunctions({
    names: ['order-query'],
    env: {
      MYSQL_PORT: String(proxy.port),
      MYSQL_DATABASE: database,
      HISTORY_BACKEND: 'sql',
      // A customer's reads never ask the user service: a closed port proves it.
      USER_GRPC_ADDRESS: '127.0.0.1:1',
    },
  });
  t.teardown(async () => {
    await orders.close();
    await dropDatabase(database);
  });
  const token = signAccessToken(
    {
      userId: '00000000-0000-4000-8000-000000000001',
      role: 'customer',
      sessionId: '00000000-0000-4000-8000-00000000005e',
    },
    loadConfig(AccessTokenSignerEnv, {}),
  ).token;
  await assertUnavailable(t, await orders.call('GET', '/v1/notifications', { token }), 'order-query');

  proxy.restore();
  const served = await orders.call('GET', '/v1/notifications', { token });
  t.is(served.status, 200, 'the failed open is tried again');
  t.like(await served.json(), { items: [], total: 0 });
});
