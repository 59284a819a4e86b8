// The first admin comes from ADMIN_EMAIL / ADMIN_PASSWORD: the login function creates it before the first login
// it answers, and nobody registers that address. Afterwards the account is its owner's: a new login instance with
// the same env leaves the password alone, and ADMIN_RESET_PASSWORD=true gives the configured password back once.
// Several generations of login share one database here, as restarted and scaled-out instances do.
import test from 'ava';
import { startFunctions, type RunningFunctions } from '../support/functions';
import { memoryLogger, type MemoryLogger } from '../support/memory/memory-logger';
import { connectTo } from '../support/sql-fixture';
import { uniqueName } from '../support/unique-name';
import { ADMIN, startUserService, type UserServiceUnderTest } from '../support/user-service';

interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

const login = (api: RunningFunctions, password: string) =>
  api.call('POST', '/v1/auth/login', { body: { email: ADMIN.email, password } });

async function signIn(t: import('ava').ExecutionContext, api: RunningFunctions, password: string) {
  const answer = await login(api, password);
  t.is(answer.status, 200, `signs in with "${password}"`);
  return (await answer.json()) as Tokens;
}

/** The admin changes their own password, as any user does (update-profile). */
async function changePassword(
  t: import('ava').ExecutionContext,
  api: RunningFunctions,
  tokens: Tokens,
  from: string,
  to: string,
) {
  const answer = await api.call('PATCH', '/v1/users/me', {
    token: tokens.accessToken,
    body: { currentPassword: from, password: to },
  });
  t.is(answer.status, 200, 'the admin changes their password');
}

/** Another login instance on the service's database and topic, with `env` on top, logging into a memory logger. */
async function anotherLogin(
  t: import('ava').ExecutionContext,
  service: UserServiceUnderTest,
  env: Readonly<Record<string, string>> = {},
): Promise<RunningFunctions & { readonly logger: MemoryLogger }> {
  const logger = memoryLogger();
  const settings = { MYSQL_DATABASE: service.database, EVENTS_TOPIC: service.eventsTopic };
  const running = await startFunctions({
    names: ['login'],
    env: { ...settings, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ...env },
    logger,
  });
  t.teardown(() => running.close());
  return { ...running, logger };
}

const resets = (logger: MemoryLogger) =>
  logger.lines.filter((line) => line.msg.startsWith('admin password reset'));

test('the configured admin is created on a fresh database; its password is then its own, and a reset applies once', async (t) => {
  const database = uniqueName('test_user');
  const settings = { MYSQL_DATABASE: database, EVENTS_TOPIC: uniqueName('test-events') };

  // A fresh deployment where only register has started (login scales from zero on its first request): the admin
  // does not exist yet, and its address is still not for registering.
  const register = await startFunctions({
    names: ['register'],
    env: { ...settings, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
  });
  t.teardown(() => register.close());
  const taken = await register.call('POST', '/v1/auth/register', {
    body: { email: ADMIN.email.toUpperCase(), password: 'a long enough password', name: 'Mallory' },
  });
  t.is(taken.status, 409, 'the admin address is reserved before the admin exists');
  t.like(await taken.json(), { code: 'USER.EMAIL_TAKEN' });

  const service = await startUserService(settings);
  t.teardown(() => service.close());
  const first = await signIn(t, service, ADMIN.password);
  const list = await service.call('GET', '/v1/users?pageSize=100', { token: first.accessToken });
  t.like(await list.json(), { total: 1, items: [{ email: ADMIN.email, role: 'admin' }] });

  // The admin picks their own password; a new instance with the same env leaves it.
  const chosen = 'the password the admin chose';
  await changePassword(t, service, first, ADMIN.password, chosen);
  const restarted = await anotherLogin(t, service);
  t.is((await login(restarted, ADMIN.password)).status, 401, 'the configured password no longer opens it');
  const beforeReset = await signIn(t, restarted, chosen);
  t.deepEqual(resets(restarted.logger), []);

  // The operator asks for a reset: the configured password is back, the sessions end, and the log says so.
  const resetting = await anotherLogin(t, service, { ADMIN_RESET_PASSWORD: 'true' });
  const afterReset = await signIn(t, resetting, ADMIN.password);
  t.is((await login(resetting, chosen)).status, 401, 'the chosen password is replaced');
  const refreshed = await service.call('POST', '/v1/auth/refresh', {
    body: { refreshToken: beforeReset.refreshToken },
  });
  t.is(refreshed.status, 401, 'the sessions opened before the reset end');
  t.deepEqual(resets(resetting.logger), [
    { level: 'warn', msg: 'admin password reset; its sessions ended', fields: { email: ADMIN.email } },
  ]);
  t.false(JSON.stringify(resetting.logger.lines).includes(ADMIN.password), 'no password in the log');

  // Once: the admin changes the password again, and the same env (flag still on) does not take it back.
  const chosenAgain = 'the password the admin chose after the reset';
  await changePassword(t, service, afterReset, ADMIN.password, chosenAgain);
  const restartedWithFlag = await anotherLogin(t, service, { ADMIN_RESET_PASSWORD: 'true' });
  t.is((await login(restartedWithFlag, ADMIN.password)).status, 401, 'the reset is not applied again');
  await signIn(t, restartedWithFlag, chosenAgain);
  t.deepEqual(resets(restartedWithFlag.logger), []);
});

test('two login instances starting at once with the reset flag apply it once', async (t) => {
  const service = await startUserService();
  t.teardown(() => service.close());
  const chosen = 'the password the admin chose';
  await changePassword(t, service, await signIn(t, service, ADMIN.password), ADMIN.password, chosen);

  // Hold the admin's row: both instances find the admin, then queue on its lock, so their resets overlap.
  const db = await connectTo(service.database);
  t.teardown(() => db.end());
  await db.beginTransaction();
  await db.query('SELECT id FROM users WHERE email_key = ? FOR UPDATE', [ADMIN.email]);
  const instances = await Promise.all([
    anotherLogin(t, service, { ADMIN_RESET_PASSWORD: 'true' }),
    anotherLogin(t, service, { ADMIN_RESET_PASSWORD: 'true' }),
  ]);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [rows] = await db.query(
      // Not this query itself, whose text matches the pattern too.
      "SELECT COUNT(*) AS waiting FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID() AND info LIKE 'SELECT %FROM `users`%FOR UPDATE%'",
      [service.database],
    );
    if (Number((rows as { waiting: number }[])[0]?.waiting) === 2) break;
    if (Date.now() > deadline) {
      await db.rollback();
      throw new Error('the two instances never waited on the admin together');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await db.commit();

  // A login waits for its instance's admin step: after both answer, both steps are done.
  for (const instance of instances) await signIn(t, instance, ADMIN.password);
  t.is(instances.flatMap((instance) => resets(instance.logger)).length, 1, 'exactly one instance reset');
  t.is((await login(service, chosen)).status, 401);
});

test('in production an ADMIN_PASSWORD shorter than 16 characters stops login at start', async (t) => {
  const start = (password: string) =>
    startFunctions({
      names: ['login'],
      env: { NODE_ENV: 'production', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: password },
    });
  const short = await t.throwsAsync(start('fifteen-chars-x'), { name: 'ConfigError' });
  t.true(
    short.message
      .split('\n')
      .includes('  ADMIN_PASSWORD: is shorter than 16 characters; production needs a longer admin password'),
    short.message,
  );
  // Sixteen pass this check (the dev signing keys this test runs with are refused in production anyway).
  const enough = await t.throwsAsync(start('sixteen-chars-xx'), { name: 'ConfigError' });
  t.notRegex(enough.message, /ADMIN_PASSWORD/);
});

test('ADMIN_RESET_PASSWORD takes true or false only', async (t) => {
  const error = await t.throwsAsync(
    startFunctions({ names: ['login'], env: { ADMIN_RESET_PASSWORD: 'yes' } }),
    { name: 'ConfigError' },
  );
  t.regex(error.message, /^ {2}ADMIN_RESET_PASSWORD: /m);
});
