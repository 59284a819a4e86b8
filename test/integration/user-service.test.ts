import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import test from 'ava';
import { decode, sign } from 'jsonwebtoken';
import { DEV_JWT_PUBLIC_KEY_PEM } from '../../shared/auth/dev-keys';
import { signAccessToken } from '../../shared/auth/access-token-signer';
import { AccessTokenSignerEnv } from '../../shared/auth/signer-config';
import { loadConfig } from '../../shared/config/load-config';
import { fromKafkaRecord } from '../../shared/messaging/cloud-event-kafka';
import { hash } from '@node-rs/argon2';
import { passwordNeedsRehash } from '../../shared/auth/password';
import { hashRefreshToken } from '../../shared/domain/user/refresh-token';
import { FIRST_DELAY_MS, FREE_FAILURES, throttleKey } from '../../shared/domain/user/password-throttle';
import { readRecords, testKafka } from '../support/kafka-fixture';
import { connectTo } from '../support/sql-fixture';
import { ADMIN, startUserService, type UserServiceUnderTest } from '../support/user-service';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

let api: UserServiceUnderTest;
test.before(async () => {
  api = await startUserService();
});
test.after.always(() => api.close());

const json = async <T = Record<string, unknown>>(response: Response): Promise<T> =>
  (await response.json()) as T;
const email = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;

async function registered(overrides: Record<string, string> = {}) {
  const body = {
    email: email('user'),
    password: 'correct horse battery',
    name: 'Ada Lovelace',
    ...overrides,
  };
  const response = await api.call('POST', '/v1/auth/register', { body });
  if (response.status !== 201)
    throw new Error(`register failed: ${response.status} ${await response.text()}`);
  return { ...body, user: await json<{ id: string }>(response) };
}

async function loggedIn(credentials: { email: string; password: string }): Promise<Tokens> {
  const body = { email: credentials.email, password: credentials.password };
  const response = await api.call('POST', '/v1/auth/login', { body });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return json<Tokens>(response);
}

test('register creates a customer and answers 201 with the public view', async (t) => {
  const address = email('Grace.Hopper');
  const response = await api.call('POST', '/v1/auth/register', {
    body: { email: address, password: 'a perfectly long one', name: 'Grace' },
  });
  t.is(response.status, 201);
  const user = await json(response);
  t.like(user, { email: address, name: 'Grace', role: 'customer' });
  t.regex(String(user['id']), /^[0-9a-f-]{36}$/);
  t.false(Number.isNaN(Date.parse(String(user['createdAt']))));
  t.deepEqual(Object.keys(user).sort(), ['createdAt', 'email', 'id', 'name', 'role']);
});

test('an e-mail is taken whatever its case: 409', async (t) => {
  const { email: address } = await registered();
  const again = await api.call('POST', '/v1/auth/register', {
    body: { email: address.toUpperCase(), password: 'another long password', name: 'Twin' },
  });
  t.is(again.status, 409);
  t.like(await json(again), { code: 'USER.EMAIL_TAKEN' });
});

test('invalid registrations are 400s naming the fields, and create nothing', async (t) => {
  const address = email('invalid');
  const cases: [unknown, string[]][] = [
    [{ email: 'not-an-email', password: 'short', name: '' }, ['email', 'name', 'password']],
    [{ email: address, password: 'x'.repeat(129), name: 'A' }, ['password']],
    [{ email: address, password: 'long enough password', name: 'A', role: 'admin' }, ['(body)']],
    [{}, ['email', 'name', 'password']],
    [{ email: address, password: 'long enough password', name: 'Ada\r\nBcc: x' }, ['name']],
    [{ email: address, password: 'long enough password', name: 'Ada \u202Egnp.exe' }, ['name']],
  ];
  for (const [body, fields] of cases) {
    const response = await api.call('POST', '/v1/auth/register', { body });
    t.is(response.status, 400);
    const problem = await json<{ code: string; errors: { field: string }[] }>(response);
    t.is(problem.code, 'REQUEST.INVALID');
    t.deepEqual([...new Set(problem.errors.map((e) => e.field))].sort(), fields);
  }
  const malformed = await api.call('POST', '/v1/auth/register', { body: '{"email":' });
  t.is(malformed.status, 400);
  const huge = await api.call('POST', '/v1/auth/register', {
    body: { email: address, password: 'long enough password', name: 'x'.repeat(200 * 1024) },
  });
  t.is(huge.status, 413, 'bodies over the default 100 KB limit');
  const login = await api.call('POST', '/v1/auth/login', {
    body: { email: address, password: 'long enough password' },
  });
  t.is(login.status, 401, 'the refused registration with a role field created no account');
});

test('login answers a token pair; unknown e-mail and wrong password get the same 401', async (t) => {
  const account = await registered();
  const tokens = await loggedIn({ email: account.email.toUpperCase(), password: account.password });
  t.is(tokens.tokenType, 'Bearer');
  t.is(tokens.expiresIn, 300);
  t.regex(tokens.refreshToken, /^[A-Za-z0-9_-]{43}$/);

  const wrong = await api.call('POST', '/v1/auth/login', {
    body: { email: account.email, password: 'wrong password!' },
  });
  const unknown = await api.call('POST', '/v1/auth/login', {
    body: { email: email('nobody'), password: 'wrong password!' },
  });
  t.is(wrong.status, 401);
  t.is(unknown.status, 401);
  t.deepEqual(await json(wrong), await json(unknown));
});

test('GET /v1/users/me answers the caller; without a token 401', async (t) => {
  const account = await registered();
  const tokens = await loggedIn(account);
  const me = await api.call('GET', '/v1/users/me', { token: tokens.accessToken });
  t.is(me.status, 200);
  t.like(await json(me), { id: account.user.id, email: account.email, role: 'customer' });
  t.is((await api.call('GET', '/v1/users/me')).status, 401);
});

test('refresh rotates; presenting the old token again revokes the whole family', async (t) => {
  const tokens = await loggedIn(await registered());
  const first = await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
  t.is(first.status, 200);
  const rotated = await json<Tokens>(first);
  t.not(rotated.refreshToken, tokens.refreshToken);
  t.is((await api.call('GET', '/v1/users/me', { token: rotated.accessToken })).status, 200);

  const reuse = await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
  t.is(reuse.status, 401);
  t.like(await json(reuse), { code: 'AUTH.REFRESH_TOKEN_REUSED' });
  const newest = await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: rotated.refreshToken } });
  t.is(newest.status, 401, 'the newest token of the family stops working too');
});

test('login, refresh and signed-in answers are no-store, refusals included; register is not', async (t) => {
  const account = { email: email('user'), password: 'correct horse battery', name: 'Ada Lovelace' };
  const register = await api.call('POST', '/v1/auth/register', { body: account });
  const credentials = { email: account.email, password: account.password };
  const login = await api.call('POST', '/v1/auth/login', { body: credentials });
  const tokens = await json<Tokens>(login.clone());
  const refresh = await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
  const { accessToken } = await json<Tokens>(refresh.clone());
  const answers = [
    register,
    login,
    refresh,
    await api.call('GET', '/v1/users/me', { token: accessToken }),
    await api.call('GET', '/v1/users/me'),
    await api.call('POST', '/v1/auth/login', { body: { ...credentials, password: 'wrong password!' } }),
    await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } }),
  ];
  const seen = await Promise.all(
    answers.map(async (answer) => {
      await answer.arrayBuffer();
      return [answer.status, answer.headers.get('cache-control')];
    }),
  );
  t.deepEqual(seen, [
    [201, null],
    [200, 'no-store'],
    [200, 'no-store'],
    [200, 'no-store'],
    [401, 'no-store'],
    [401, 'no-store'],
    [401, 'no-store'],
  ]);
});

test('two refreshes racing with one token: exactly one wins, and the loser revokes the family', async (t) => {
  const tokens = await loggedIn(await registered());
  const db = await connectTo(api.database);
  t.teardown(() => db.end());
  // Hold the token's row: both refreshes read it, then queue on its lock, so they are in flight together.
  await db.beginTransaction();
  await db.query('SELECT id FROM refresh_tokens WHERE token_hash = ? FOR UPDATE', [
    hashRefreshToken(tokens.refreshToken),
  ]);
  const racing = [1, 2].map(() =>
    api.call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } }),
  );
  // Both wait on the lock, each with its rotation (compare-and-set) sent: the two requests overlap.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [rows] = await db.query(
      "SELECT COUNT(*) AS waiting FROM information_schema.processlist WHERE db = ? AND info LIKE 'UPDATE `refresh_tokens` SET `rotated_at`%'",
      [api.database],
    );
    if ((rows as { waiting: number }[])[0]?.waiting === 2) break;
    if (Date.now() > deadline) {
      await db.rollback();
      await Promise.allSettled(racing);
      throw new Error('the two refreshes never waited on the token together');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await db.commit();

  const answers = await Promise.all(racing);
  const statuses = answers.map((answer) => answer.status).sort();
  t.deepEqual(statuses, [200, 401]);
  const winner = answers.find((answer) => answer.status === 200);
  const loser = answers.find((answer) => answer.status === 401);
  t.like(await json(loser as Response), { code: 'AUTH.REFRESH_TOKEN_REUSED' });
  const { refreshToken: successor } = await json<Tokens>(winner as Response);
  const after = await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: successor } });
  t.is(after.status, 401, "the winner's new token died with the family");
});

test('a garbage refresh token is a 401', async (t) => {
  const response = await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: 'not-a-token' } });
  t.is(response.status, 401);
  t.like(await json(response), { code: 'AUTH.INVALID_REFRESH_TOKEN' });
});

test('logout revokes the refresh token; it needs authentication', async (t) => {
  const tokens = await loggedIn(await registered());
  t.is(
    (await api.call('POST', '/v1/auth/logout', { body: { refreshToken: tokens.refreshToken } })).status,
    401,
  );
  const out = await api.call('POST', '/v1/auth/logout', {
    body: { refreshToken: tokens.refreshToken },
    token: tokens.accessToken,
  });
  t.is(out.status, 204);
  const refresh = await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
  t.is(refresh.status, 401);
});

test('an account with too many wrong passwords waits: 429 with Retry-After, and the right password does not get in meanwhile', async (t) => {
  // The first wait is FIRST_DELAY_MS (1 s) on the service's real clock. Only an attempt answered within that second
  // of the failure that started the wait says anything; on a machine too busy for that, the case runs again on a
  // fresh account (the unit tests drive the same rule on a test clock).
  for (let round = 1; round <= 5; round++) {
    const account = await registered();
    const attempt = (password: string) =>
      api.call('POST', '/v1/auth/login', { body: { email: account.email, password } });
    for (let i = 0; i < FREE_FAILURES; i++) t.is((await attempt('a wrong guess')).status, 401);
    const startedWait = performance.now(); // before the failure that starts the wait is even sent
    t.is((await attempt('a wrong guess')).status, 401);
    const waiting = await attempt(account.password);
    if (performance.now() - startedWait >= FIRST_DELAY_MS) continue;
    t.is(waiting.status, 429);
    t.is(waiting.headers.get('retry-after'), '1');
    t.like(await json(waiting), { code: 'AUTH.TOO_MANY_ATTEMPTS', status: 429, retryAfter: 1 });
    return;
  }
  t.fail('five rounds took over a second each: the machine is too busy to observe the first wait');
});

test('30 wrong logins at once for one account: only the free ones and the one that starts the wait are verified, the rest 429', async (t) => {
  const account = await registered();
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      api.call('POST', '/v1/auth/login', {
        body: { email: account.email, password: `wrong guess ${String(i)}` },
      }),
    ),
  );
  const elapsedMs = performance.now() - started;
  // A 401 is a verified password, a 429 none. All at once, FREE_FAILURES + 1 get checked; on a machine so busy that
  // the answers took seconds, a wait (1 s, 2 s, ...) may have ended meanwhile and let one more in each time.
  let endedWaits = 0;
  while (FIRST_DELAY_MS * (2 ** (endedWaits + 1) - 1) <= elapsedMs) endedWaits++;
  const statuses = answers.map((answer) => answer.status);
  const verified = statuses.filter((status) => status === 401).length;
  t.true(verified >= FREE_FAILURES + 1, `verified ${String(verified)}`);
  t.true(
    verified <= FREE_FAILURES + 1 + endedWaits,
    `verified ${String(verified)} in ${String(elapsedMs)} ms`,
  );
  t.is(statuses.filter((status) => status === 429).length, 30 - verified, statuses.join(' '));
  for (const waiting of answers.filter((answer) => answer.status === 429)) {
    t.regex(waiting.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/);
    t.like(await json(waiting), { code: 'AUTH.TOO_MANY_ATTEMPTS' });
  }
});

test('logout with a refresh token already rotated ends its live successor too', async (t) => {
  const tokens = await loggedIn(await registered());
  const rotated = await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
  t.is(rotated.status, 200);
  const successor = await json<{ refreshToken: string; accessToken: string }>(rotated);
  const out = await api.call('POST', '/v1/auth/logout', {
    body: { refreshToken: tokens.refreshToken },
    token: successor.accessToken,
  });
  t.is(out.status, 204);
  const refresh = await api.call('POST', '/v1/auth/refresh', {
    body: { refreshToken: successor.refreshToken },
  });
  t.is(refresh.status, 401);
  t.like(await json(refresh), { code: 'AUTH.INVALID_REFRESH_TOKEN' });
});

test("logging out with someone else's refresh token does not revoke it", async (t) => {
  const mine = await loggedIn(await registered());
  const theirs = await loggedIn(await registered());
  const out = await api.call('POST', '/v1/auth/logout', {
    body: { refreshToken: theirs.refreshToken },
    token: mine.accessToken,
  });
  t.is(out.status, 204);
  t.is(
    (await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: theirs.refreshToken } })).status,
    200,
  );
});

test('PATCH /v1/users/me changes the name; a password change needs the current one and ends sessions', async (t) => {
  const account = await registered();
  const tokens = await loggedIn(account);
  const renamed = await api.call('PATCH', '/v1/users/me', {
    body: { name: 'Ada King' },
    token: tokens.accessToken,
  });
  t.is(renamed.status, 200);
  t.like(await json(renamed), { name: 'Ada King' });

  const noCurrent = await api.call('PATCH', '/v1/users/me', {
    body: { password: 'a brand new password' },
    token: tokens.accessToken,
  });
  t.is(noCurrent.status, 400);
  const wrongCurrent = await api.call('PATCH', '/v1/users/me', {
    body: { password: 'a brand new password', currentPassword: 'not the password' },
    token: tokens.accessToken,
  });
  t.is(wrongCurrent.status, 403);
  const changed = await api.call('PATCH', '/v1/users/me', {
    body: { password: 'a brand new password', currentPassword: account.password },
    token: tokens.accessToken,
  });
  t.is(changed.status, 200);
  t.is(
    (await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } })).status,
    401,
  );
  t.is(
    (await api.call('POST', '/v1/auth/login', { body: { email: account.email, password: account.password } }))
      .status,
    401,
  );
  // The access token of the session the change ended is refused at once, not when it expires.
  const ended = await api.call('GET', '/v1/users/me', { token: tokens.accessToken });
  t.is(ended.status, 401);
  t.like(await json(ended), { code: 'AUTH.SESSION_ENDED' });
  const fresh = await loggedIn({ email: account.email, password: 'a brand new password' });
  const nothing = await api.call('PATCH', '/v1/users/me', { body: {}, token: fresh.accessToken });
  t.is(nothing.status, 400);
  const promote = await api.call('PATCH', '/v1/users/me', {
    body: { role: 'admin' },
    token: fresh.accessToken,
  });
  t.is(promote.status, 400, 'nobody makes themselves admin');
});

test('the configured admin lists users page by page, oldest first, with the exact total', async (t) => {
  // A service of its own: the other tests' accounts would make the pages and the total moving targets.
  const own = await startUserService();
  t.teardown(() => own.close());
  const signIn = async (who: { email: string; password: string }) =>
    json<Tokens>(await own.call('POST', '/v1/auth/login', { body: who }));
  const admin = await signIn(ADMIN);
  const emails: string[] = [];
  for (const name of ['first', 'second', 'third']) {
    const body = { email: email(name), password: 'correct horse battery', name };
    t.is((await own.call('POST', '/v1/auth/register', { body })).status, 201);
    emails.push(body.email);
  }
  const page = async (query: string) => {
    const response = await own.call('GET', `/v1/users${query}`, { token: admin.accessToken });
    t.is(response.status, 200, query);
    return json<{ items: { email: string; role: string }[]; page: number; pageSize: number; total: number }>(
      response,
    );
  };
  const first = await page('?page=1&pageSize=2');
  t.deepEqual(
    { ...first, items: first.items.map((user) => [user.email, user.role]) },
    {
      items: [
        [ADMIN.email, 'admin'],
        [emails[0], 'customer'],
      ],
      page: 1,
      pageSize: 2,
      total: 4,
    },
  );
  const second = await page('?page=2&pageSize=2');
  t.deepEqual(
    second.items.map((user) => user.email),
    emails.slice(1),
  );
  t.deepEqual(await page('?page=3&pageSize=2'), { items: [], page: 3, pageSize: 2, total: 4 });
  t.is((await own.call('GET', '/v1/users?pageSize=101', { token: admin.accessToken })).status, 400);
  t.is((await own.call('GET', '/v1/users?page=0', { token: admin.accessToken })).status, 400);
});

test('admins read any user; customers get 403 on admin routes', async (t) => {
  const account = await registered();
  const customer = await loggedIn(account);
  const admin = await loggedIn(ADMIN);
  const found = await api.call('GET', `/v1/users/${account.user.id}`, { token: admin.accessToken });
  t.like(await json(found), { id: account.user.id });
  t.is((await api.call('GET', `/v1/users/${randomUUID()}`, { token: admin.accessToken })).status, 404);
  t.is((await api.call('GET', '/v1/users/not-a-uuid', { token: admin.accessToken })).status, 400);
  t.is((await api.call('GET', '/v1/users', { token: customer.accessToken })).status, 403);
  t.is((await api.call('GET', `/v1/users/${account.user.id}`, { token: customer.accessToken })).status, 403);
});

test('PUT /v1/users/{id}/role: admins promote others, never themselves; customers cannot', async (t) => {
  const account = await registered();
  const customer = await loggedIn(account);
  const admin = await loggedIn(ADMIN);
  const path = `/v1/users/${account.user.id}/role`;
  t.is((await api.call('PUT', path, { body: { role: 'admin' }, token: customer.accessToken })).status, 403);
  t.is((await api.call('PUT', path, { body: { role: 'owner' }, token: admin.accessToken })).status, 400);
  const promoted = await api.call('PUT', path, { body: { role: 'admin' }, token: admin.accessToken });
  t.is(promoted.status, 200);
  t.like(await json(promoted), { role: 'admin' });
  const refreshed = await json<Tokens>(
    await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: customer.refreshToken } }),
  );
  t.is(
    (await api.call('GET', '/v1/users', { token: refreshed.accessToken })).status,
    200,
    'the role is in new tokens',
  );

  const me = await json<{ id: string }>(await api.call('GET', '/v1/users/me', { token: admin.accessToken }));
  const own = await api.call('PUT', `/v1/users/${me.id}/role`, {
    body: { role: 'customer' },
    token: admin.accessToken,
  });
  t.is(own.status, 422);
  t.is(
    (
      await api.call('PUT', `/v1/users/${randomUUID()}/role`, {
        body: { role: 'admin' },
        token: admin.accessToken,
      })
    ).status,
    404,
  );
});

test('logout ends the session at once: its access token is refused with AUTH.SESSION_ENDED, other sessions go on', async (t) => {
  const account = await registered();
  const phone = await loggedIn(account);
  const laptop = await loggedIn(account);
  t.is((await api.call('GET', '/v1/users/me', { token: phone.accessToken })).status, 200);
  const out = await api.call('POST', '/v1/auth/logout', {
    body: { refreshToken: phone.refreshToken },
    token: phone.accessToken,
  });
  t.is(out.status, 204);
  const after = await api.call('GET', '/v1/users/me', { token: phone.accessToken });
  t.is(after.status, 401);
  t.like(await json(after), { code: 'AUTH.SESSION_ENDED' });
  t.is((await api.call('GET', '/v1/users/me', { token: laptop.accessToken })).status, 200);
});

test('a demoted admin is refused on the next admin request, although the token still says admin', async (t) => {
  const account = await registered();
  const admin = await loggedIn(ADMIN);
  const promote = (role: 'admin' | 'customer') =>
    api.call('PUT', `/v1/users/${account.user.id}/role`, { body: { role }, token: admin.accessToken });
  t.is((await promote('admin')).status, 200);
  const deputy = await loggedIn(account);
  t.is((await api.call('GET', '/v1/users', { token: deputy.accessToken })).status, 200);
  t.is((await promote('customer')).status, 200);
  const refused = await api.call('GET', '/v1/users', { token: deputy.accessToken });
  t.is(refused.status, 403);
  // Nor can they promote an accomplice with it.
  const accomplice = await registered();
  const attempt = await api.call('PUT', `/v1/users/${accomplice.user.id}/role`, {
    body: { role: 'admin' },
    token: deputy.accessToken,
  });
  t.is(attempt.status, 403);
  const read = await api.call('GET', `/v1/users/${accomplice.user.id}`, { token: admin.accessToken });
  t.like(await json(read), { role: 'customer' });
});

test('DELETE /v1/users/{id}/sessions: an admin ends every session of a user; customers cannot', async (t) => {
  const account = await registered();
  const [phone, laptop] = [await loggedIn(account), await loggedIn(account)];
  const admin = await loggedIn(ADMIN);
  const path = `/v1/users/${account.user.id}/sessions`;
  t.is((await api.call('DELETE', path, { token: phone.accessToken })).status, 403);
  t.is((await api.call('GET', '/v1/users/me', { token: phone.accessToken })).status, 200);
  t.is(
    (await api.call('DELETE', `/v1/users/${randomUUID()}/sessions`, { token: admin.accessToken })).status,
    404,
  );
  t.is((await api.call('DELETE', path, { token: admin.accessToken })).status, 204);
  for (const session of [phone, laptop]) {
    const me = await api.call('GET', '/v1/users/me', { token: session.accessToken });
    t.is(me.status, 401);
    t.like(await json(me), { code: 'AUTH.SESSION_ENDED' });
    const refresh = await api.call('POST', '/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    t.is(refresh.status, 401);
  }
  t.is((await api.call('GET', '/v1/users/me', { token: admin.accessToken })).status, 200);
  await t.notThrowsAsync(loggedIn(account), 'the user may sign in again');
});

test('forged, expired and misdirected tokens are 401', async (t) => {
  const account = await registered();
  const config = loadConfig(AccessTokenSignerEnv, {});
  // A live session of the account's, so that only the token itself is wrong in each attack.
  const { accessToken } = await loggedIn(account);
  const { sid } = decode(accessToken) as { sid: string };
  const subject = { userId: account.user.id, role: 'admin' as const, sessionId: sid };
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: subject.userId,
    role: 'admin',
    iss: config.JWT_ISSUER,
    aud: config.JWT_AUDIENCE,
    iat: now,
    exp: now + 600,
    jti: randomUUID(),
    sid,
  };
  const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const valid = signAccessToken(subject, config).token;
  const [header] = valid.split('.');
  const hmacBody = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}`;
  const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const forged = {
    expired: signAccessToken(subject, config, { now: new Date(Date.now() - 3_600_000) }).token,
    tampered: `${header ?? ''}.${base64url({ ...claims, sub: randomUUID() })}.${valid.split('.')[2] ?? ''}`,
    algNone: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`,
    hs256WithPublicKey: `${hmacBody}.${createHmac('sha256', DEV_JWT_PUBLIC_KEY_PEM).update(hmacBody).digest('base64url')}`,
    foreignKey: sign(claims, foreign, { algorithm: 'ES256' }),
    wrongAudience: sign({ ...claims, aud: 'another-api' }, config.JWT_PRIVATE_KEY, { algorithm: 'ES256' }),
  };
  t.is((await api.call('GET', '/v1/users/me', { token: valid })).status, 200);
  for (const [attack, token] of Object.entries(forged)) {
    t.is((await api.call('GET', '/v1/users/me', { token })).status, 401, attack);
    t.is((await api.call('GET', '/v1/users', { token })).status, 401, attack);
  }
});

test('registration publishes com.ecom.user.registered to Kafka through the outbox', async (t) => {
  const account = await registered();
  const records = await readRecords(testKafka(api.kafkaBrokers), api.eventsTopic, {
    until: (read) => read.some((record) => record.key === account.user.id),
  });
  const events = records.map((record) => fromKafkaRecord(record));
  const mine = events.find((event) => event.subject === account.user.id);
  t.is(mine?.type, 'com.ecom.user.registered');
  t.is(mine?.source, '/ecom/user/register');
  t.like(mine?.data, { userId: account.user.id, email: account.email, name: account.name });
  t.is(
    records.find((r) => r.key === account.user.id)?.headers['ce_partitionkey']?.toString(),
    account.user.id,
  );
});

test('a password hashed with older argon2 parameters is hashed again with the current ones at login', async (t) => {
  const account = await registered();
  const db = await connectTo(api.database);
  t.teardown(() => db.end());
  const older = await hash(account.password, { memoryCost: 8192, timeCost: 3, parallelism: 1 });
  await db.query('UPDATE users SET password_hash = ? WHERE id = ?', [older, account.user.id]);

  const tokens = await loggedIn(account);
  const [rows] = await db.query('SELECT password_hash AS hash FROM users WHERE id = ?', [account.user.id]);
  const stored = (rows as { hash: string }[])[0]?.hash ?? '';
  t.regex(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  t.false(passwordNeedsRehash(stored));
  t.is((await api.call('GET', '/v1/users/me', { token: tokens.accessToken })).status, 200);
  await loggedIn(account); // the new hash verifies too
});

test('the outbox relay deletes refresh tokens 30 days past their expiry and throttled failures a day old; nothing sooner', async (t) => {
  const tokens = await loggedIn(await registered());
  const refreshed = await api.call('POST', '/v1/auth/refresh', {
    body: { refreshToken: tokens.refreshToken },
  });
  t.is(refreshed.status, 200);
  const tried = await registered();
  const fresh = await registered();
  for (const account of [tried, fresh]) {
    const wrong = await api.call('POST', '/v1/auth/login', {
      body: { email: account.email, password: 'a wrong guess' },
    });
    t.is(wrong.status, 401);
  }
  const relay = async () => {
    const ping = await fetch(api.url('user-outbox-relay'), { method: 'POST', body: '{}' });
    t.is(ping.status, 204);
  };
  const db = await connectTo(api.database);
  t.teardown(() => db.end());
  const age = (sql: string, days: number, key: string) => db.query(sql, [days, key]);
  const rotatedExpiredDaysAgo = (days: number) =>
    age(
      'UPDATE refresh_tokens SET expires_at = UTC_TIMESTAMP(3) - INTERVAL ? DAY WHERE token_hash = ?',
      days,
      hashRefreshToken(tokens.refreshToken),
    );
  const rowsOf = async (sql: string, key: string) => {
    const [rows] = await db.query(sql, [key]);
    return (rows as unknown[]).length;
  };
  const tokenRows = () =>
    rowsOf('SELECT 1 FROM refresh_tokens WHERE token_hash = ?', hashRefreshToken(tokens.refreshToken));
  const throttled = (account: { email: string }) =>
    rowsOf('SELECT 1 FROM password_throttle WHERE account_key = ?', throttleKey(account.email));
  t.is(await throttled(tried), 1);

  // 29 days past its expiry the rotated token is kept: shown again, it is still a reuse.
  await rotatedExpiredDaysAgo(29);
  await relay();
  t.is(await tokenRows(), 1);
  const reuse = await api.call('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
  t.like(await json(reuse), { code: 'AUTH.REFRESH_TOKEN_REUSED' });

  // 31 days past it, it is gone; so are failures of two days ago, while today's stay.
  await rotatedExpiredDaysAgo(31);
  await age(
    'UPDATE password_throttle SET last_failure_at = UTC_TIMESTAMP(3) - INTERVAL ? DAY WHERE account_key = ?',
    2,
    throttleKey(tried.email),
  );
  await relay();
  t.is(await tokenRows(), 0);
  t.is(await throttled(tried), 0);
  t.is(await throttled(fresh), 1);
});
