// The first admin comes from ADMIN_EMAIL / ADMIN_PASSWORD: the login function makes it exist before the first
// login it answers; a changed password takes effect with the next instance; nobody registers that address.
// A file of its own: two generations of the user functions share one database here, and closing one runs the
// process's shutdown hooks.
import test from 'ava';
import { uniqueName } from '../support/unique-name';
import { ADMIN, startUserFunctions } from '../support/user-functions';

const login = (api: Awaited<ReturnType<typeof startUserFunctions>>, password: string) =>
  api.call('POST', '/v1/auth/login', { body: { email: ADMIN.email, password } });

test('the configured admin signs in on a fresh database, its address cannot be registered, and a new password replaces the old one', async (t) => {
  const database = uniqueName('test_user');
  const first = await startUserFunctions({ MYSQL_DATABASE: database });
  t.teardown(() => first.close());

  const taken = await first.call('POST', '/v1/auth/register', {
    body: { email: ADMIN.email.toUpperCase(), password: 'a long enough password', name: 'Mallory' },
  });
  t.is(taken.status, 409, 'the admin address is reserved before the admin ever signed in');
  t.like(await taken.json(), { code: 'USER.EMAIL_TAKEN' });

  const signedIn = await login(first, ADMIN.password);
  t.is(signedIn.status, 200, 'the admin is created before the first login is answered');
  const { accessToken, refreshToken } = (await signedIn.json()) as {
    accessToken: string;
    refreshToken: string;
  };
  const list = await first.call('GET', '/v1/users?pageSize=100', { token: accessToken });
  t.like(await list.json(), { total: 1, items: [{ email: ADMIN.email, role: 'admin' }] });
  t.is(
    (
      await first.call('POST', '/v1/auth/register', {
        body: { email: ADMIN.email, password: 'a long enough password', name: 'Mallory' },
      })
    ).status,
    409,
  );

  // The next deployment, on the same database, with another admin password.
  const newPassword = 'the rotated admin password';
  const second = await startUserFunctions({
    MYSQL_DATABASE: database,
    EVENTS_TOPIC: first.env.EVENTS_TOPIC,
    ADMIN_PASSWORD: newPassword,
  });
  t.teardown(() => second.close());
  t.is((await login(second, ADMIN.password)).status, 401, 'the old password stops working');
  t.is((await login(second, newPassword)).status, 200);
  const refreshed = await second.call('POST', '/v1/auth/refresh', { body: { refreshToken } });
  t.is(refreshed.status, 401, 'sessions opened with the old password end');
});
