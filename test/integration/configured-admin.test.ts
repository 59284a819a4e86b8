// The first admin comes from ADMIN_EMAIL / ADMIN_PASSWORD: the login function makes it exist before the first
// login it answers; a changed password takes effect with the next instance; nobody registers that address.
// Two generations of the user functions share one database here, as two deployments would.
import test from 'ava';
import { startFunctions } from '../support/functions';
import { uniqueName } from '../support/unique-name';
import { ADMIN, startUserService } from '../support/user-service';

const login = (api: Awaited<ReturnType<typeof startUserService>>, password: string) =>
  api.call('POST', '/v1/auth/login', { body: { email: ADMIN.email, password } });

test('the configured admin signs in on a fresh database, its address cannot be registered, and a new password replaces the old one', async (t) => {
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

  const first = await startUserService(settings);
  t.teardown(() => first.close());
  const signedIn = await login(first, ADMIN.password);
  t.is(signedIn.status, 200, 'the admin exists by the first login');
  const { accessToken, refreshToken } = (await signedIn.json()) as {
    accessToken: string;
    refreshToken: string;
  };
  const list = await first.call('GET', '/v1/users?pageSize=100', { token: accessToken });
  t.like(await list.json(), { total: 1, items: [{ email: ADMIN.email, role: 'admin' }] });

  // The next deployment, on the same database, with another admin password.
  const newPassword = 'the rotated admin password';
  const second = await startUserService({ ...settings, ADMIN_PASSWORD: newPassword });
  t.teardown(() => second.close());
  t.is((await login(second, ADMIN.password)).status, 401, 'the old password stops working');
  t.is((await login(second, newPassword)).status, 200);
  const refreshed = await second.call('POST', '/v1/auth/refresh', { body: { refreshToken } });
  t.is(refreshed.status, 401, 'sessions opened with the old password end');
});
