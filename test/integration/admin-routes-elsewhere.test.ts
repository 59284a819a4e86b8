// An admin-only route outside the user service (as the product and order services will have) confirms the caller's
// session and current role with user-grpc through the kit, a few seconds cached; its customer routes trust the token.
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { orderService } from '../../functions/order/service';
import { SESSION_CACHE_MS } from '../../shared/auth/cached-session-lookup';
import { ConfigError } from '../../shared/config/load-config';
import { defineFunction } from '../../shared/kit/function-definition';
import { createFunctionInstance } from '../../shared/kit/function-instance';
import { createLogger } from '../../shared/log/logger';
import { callerOf, defineRoute } from '../../shared/runtime/http-function';
import { serveFunction, type FunctionUnderTest } from '../support/function-under-test';
import { request } from '../support/functions';
import { ADMIN, startUserService, type UserServiceUnderTest } from '../support/user-service';

const logger = createLogger('admin-routes-elsewhere', { level: 'silent' });
const caller = { description: 'The caller.' };

const definition = defineFunction({
  name: 'sales-report',
  service: orderService,
  description: 'A test function of the order service with an admin-only route and a customer route.',
  trigger: {
    kind: 'http',
    routes: [
      { method: 'GET', path: '/v1/test/sales', auth: 'admin', summary: 'Sales.', responses: { 200: caller } },
      {
        method: 'GET',
        path: '/v1/test/mine',
        auth: 'authenticated',
        summary: 'Mine.',
        responses: { 200: caller },
      },
    ],
  },
});

const routes = definition.trigger.kind === 'http' ? definition.trigger.routes : [];
const handlers = routes.map((route) =>
  defineRoute({
    route,
    handle: (context) => Promise.resolve({ status: 200, body: { caller: callerOf(context).userId } }),
  }),
);

async function serveReport(env: Record<string, string | undefined>): Promise<FunctionUnderTest> {
  const instance = await createFunctionInstance(
    { kind: 'http', definition, routes: () => handlers },
    { env: { ...process.env, ...env }, logger },
  );
  const served = await serveFunction(
    instance.serves.kind === 'http' ? instance.serves.handler : () => undefined,
  );
  return {
    url: served.url,
    close: async () => {
      await served.close();
      await instance.close();
    },
  };
}

let users: UserServiceUnderTest;
let report: FunctionUnderTest;

test.before(async () => {
  users = await startUserService();
  report = await serveReport({ USER_GRPC_ADDRESS: users.grpcAddress('user-grpc') });
});
test.after.always(async () => {
  await report.close();
  await users.close();
});

interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

async function signIn(credentials: { email: string; password: string }): Promise<Tokens> {
  const { email, password } = credentials;
  const response = await users.call('POST', '/v1/auth/login', { body: { email, password } });
  if (response.status !== 200) throw new Error(`login: ${response.status} ${await response.text()}`);
  return (await response.json()) as Tokens;
}

async function newCustomer(): Promise<{ id: string; email: string; password: string }> {
  const account = {
    email: `${crypto.randomUUID()}@example.com`,
    password: 'a long enough password',
    name: 'C',
  };
  const response = await users.call('POST', '/v1/auth/register', { body: account });
  return { ...account, id: ((await response.json()) as { id: string }).id };
}

const get = async (path: string, token: string) => {
  const response = await fetch(`${report.url}${path}`, request('GET', { token }));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

test.serial(
  'admins pass, customers get 403, and a demotion is refused once the short cache has passed',
  async (t) => {
    const admin = await signIn(ADMIN);
    t.is((await get('/v1/test/sales', admin.accessToken)).status, 200);
    const account = await newCustomer();
    const customer = await signIn(account);
    t.is((await get('/v1/test/sales', customer.accessToken)).status, 403);
    t.is((await get('/v1/test/mine', customer.accessToken)).status, 200);

    const setRole = (role: string) =>
      users.call('PUT', `/v1/users/${account.id}/role`, { body: { role }, token: admin.accessToken });
    t.is((await setRole('admin')).status, 200);
    const deputy = await signIn(account);
    t.is((await get('/v1/test/sales', deputy.accessToken)).status, 200);
    t.is((await setRole('customer')).status, 200);
    await sleep(SESSION_CACHE_MS + 200);
    t.is((await get('/v1/test/sales', deputy.accessToken)).status, 403, 'the role now, not the token claim');
  },
);

test.serial(
  'after logout an admin route refuses the session (AUTH.SESSION_ENDED); a customer route trusts the token',
  async (t) => {
    const admin = await signIn(ADMIN);
    t.is((await get('/v1/test/sales', admin.accessToken)).status, 200);
    const out = await users.call('POST', '/v1/auth/logout', {
      body: { refreshToken: admin.refreshToken },
      token: admin.accessToken,
    });
    t.is(out.status, 204);
    await sleep(SESSION_CACHE_MS + 200);
    const refused = await get('/v1/test/sales', admin.accessToken);
    t.is(refused.status, 401);
    t.like(refused.body, { code: 'AUTH.SESSION_ENDED' });
    // The documented window: until the token expires (5 minutes), other services' customer routes accept it.
    t.is((await get('/v1/test/mine', admin.accessToken)).status, 200);
  },
);

test.serial('a function with admin routes outside the user service needs USER_GRPC_ADDRESS', async (t) => {
  const error = await t.throwsAsync(serveReport({ USER_GRPC_ADDRESS: undefined }), {
    instanceOf: ConfigError,
  });
  t.regex(error.message, /USER_GRPC_ADDRESS/);
});

// Last (the tests run serially, in order): it stops the user service.
test.serial(
  'with the user service unreachable an admin route answers 503, never lets the caller through',
  async (t) => {
    const admin = await signIn(ADMIN); // a new token, so nothing is cached for it
    await users.stop();
    const answer = await get('/v1/test/sales', admin.accessToken);
    t.is(answer.status, 503);
    t.like(answer.body, { code: 'SERVICE.UNAVAILABLE' });
  },
);
