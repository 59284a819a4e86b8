// ensureAdmin on the SQL adapter it ships with (sql-configured-admin-store.ts), on MariaDB and on SQLite (the
// embedded local stack), with real argon2: the configured admin is created once, then left to its owner, and a
// requested reset is applied once per configured password.
import { randomBytes, randomUUID } from 'node:crypto';
import test from 'ava';
import { ensureAdmin, type ConfiguredAdmin } from '../../functions/user/ensure-admin';
import { userService } from '../../functions/user/service';
import { sqlConfiguredAdminStore } from '../../functions/user/sql-configured-admin-store';
import { sqlRefreshTokenStore } from '../../functions/user/sql-refresh-token-store';
import { sqlUserRepository } from '../../functions/user/sql-user-repository';
import { hashPassword, verifyPassword } from '../../shared/auth/password';
import type { UserRecord } from '../../shared/domain/user/user';
import type { Outbox } from '../../shared/kit/outbox';
import { migrateServiceDatabase } from '../../shared/kit/service-schema';
import { appendToOutbox } from '../../shared/outbox/append-to-outbox';
import { DIALECTS, sqlFixture, type Dialect } from '../support/sql-fixture';
import { uniqueName } from '../support/unique-name';

const CREATED = new Date('2030-01-01T00:00:00.000Z');
const LATER = new Date('2030-02-01T00:00:00.000Z');
const LATEST = new Date('2030-03-01T00:00:00.000Z');

async function setup(t: import('ava').ExecutionContext, dialect: Dialect) {
  const fixture = await sqlFixture(dialect, 'test_ensure_admin');
  t.teardown(() => fixture.drop());
  const { sequelize } = fixture;
  await migrateServiceDatabase(userService, fixture.target, sequelize);
  const outbox: Outbox = { append: (transaction, events) => appendToOutbox(sequelize, transaction, events) };
  const users = sqlUserRepository({ sequelize, outbox });
  const refreshTokens = sqlRefreshTokenStore(sequelize);
  const store = sqlConfiguredAdminStore({ sequelize, outbox });
  const admin = (password: string, resetPassword = false): ConfiguredAdmin => ({
    email: `${uniqueName('admin')}@shop.test`,
    password,
    resetPassword,
  });
  const ensure = (configured: ConfiguredAdmin, now: Date) =>
    ensureAdmin({ store, hashPassword, verifyPassword, now: () => now }, configured);
  const account = async (email: string) => {
    const found = await users.findByEmail(email);
    if (!found) throw new Error(`no account ${email}`);
    return found;
  };
  /** Opens a session of `user`; answers whether it is still usable. */
  const session = async (user: UserRecord) => {
    const tokenHash = randomBytes(32).toString('hex');
    const token = { id: randomUUID(), userId: user.id, familyId: randomUUID(), tokenHash };
    await refreshTokens.insert({ ...token, expiresAt: new Date('2031-01-01T00:00:00Z') });
    return async () => {
      const record = await refreshTokens.findByHash(tokenHash);
      if (!record) throw new Error('the session is gone');
      return !record.revokedAt;
    };
  };
  /** The owner changes the password, as update-profile does. */
  const changePassword = async (user: UserRecord, password: string, now: Date) =>
    users.update(user.id, { passwordHash: await hashPassword(password), revokeRefreshTokens: true }, now);
  return { users, store, admin, ensure, account, session, changePassword };
}

for (const dialect of DIALECTS) {
  test(`${dialect}: the admin is created with the configured password, then left as it is`, async (t) => {
    const { admin, ensure, account } = await setup(t, dialect);
    const configured = admin('the configured password');
    t.is(await ensure(configured, CREATED), 'created');
    const created = await account(configured.email);
    t.deepEqual(created, {
      id: created.id,
      email: configured.email,
      name: 'Administrator',
      role: 'admin',
      passwordHash: created.passwordHash,
      createdAt: CREATED,
      updatedAt: CREATED,
    });
    t.true(await verifyPassword(created.passwordHash, configured.password));
    t.is(await ensure(configured, LATER), 'unchanged');
    t.deepEqual(await account(configured.email), created);
  });

  test(`${dialect}: without the reset flag, a changed password and a demotion stay, whatever the e-mail's case`, async (t) => {
    const { users, admin, ensure, account, session, changePassword } = await setup(t, dialect);
    const configured = admin('the configured password');
    await ensure(configured, CREATED);
    const created = await account(configured.email);
    await changePassword(created, 'the owner chose this one', LATER);
    await users.update(created.id, { role: 'customer' }, LATER);
    const changed = await account(configured.email);
    const alive = await session(changed);
    t.is(await ensure({ ...configured, email: configured.email.toUpperCase() }, LATEST), 'unchanged');
    t.deepEqual(await account(configured.email), changed);
    t.true(await verifyPassword(changed.passwordHash, 'the owner chose this one'));
    t.true(await alive(), 'its sessions go on');
  });

  test(`${dialect}: the reset flag gives the configured password and the admin role back once, and ends the sessions`, async (t) => {
    const { users, admin, ensure, account, session, changePassword } = await setup(t, dialect);
    const configured = admin('the configured password');
    await ensure(configured, CREATED);
    const created = await account(configured.email);
    await changePassword(created, 'a forgotten password', LATER);
    await users.update(created.id, { role: 'customer' }, LATER);
    const alive = await session(created);

    t.is(await ensure({ ...configured, resetPassword: true }, LATEST), 'reset');
    const reset = await account(configured.email);
    t.deepEqual(reset, { ...created, role: 'admin', passwordHash: reset.passwordHash, updatedAt: LATEST });
    t.true(await verifyPassword(reset.passwordHash, configured.password));
    t.false(await alive(), 'the sessions ended with the reset');

    // The same env again (another instance, a restart): applied already.
    t.is(await ensure({ ...configured, resetPassword: true }, LATEST), 'unchanged');
    await changePassword(reset, 'the owner chose this one', LATEST);
    t.is(await ensure({ ...configured, resetPassword: true }, LATEST), 'unchanged');
    t.true(await verifyPassword((await account(configured.email)).passwordHash, 'the owner chose this one'));

    // Another configured password is another reset.
    t.is(
      await ensure({ ...configured, password: 'a new configured password', resetPassword: true }, LATEST),
      'reset',
    );
    t.true(await verifyPassword((await account(configured.email)).passwordHash, 'a new configured password'));
  });

  test(`${dialect}: an admin created with the reset flag on is not reset after the owner changes the password`, async (t) => {
    const { admin, ensure, account, changePassword } = await setup(t, dialect);
    const configured = admin('the configured password', true);
    t.is(await ensure(configured, CREATED), 'created');
    await changePassword(await account(configured.email), 'the owner chose this one', LATER);
    t.is(await ensure(configured, LATEST), 'unchanged');
    t.true(await verifyPassword((await account(configured.email)).passwordHash, 'the owner chose this one'));
  });

  test(`${dialect}: an admin another instance created first is found, not an error`, async (t) => {
    const { store, admin, ensure, account } = await setup(t, dialect);
    const configured = admin('the configured password');
    await ensure(configured, CREATED);
    const first = await account(configured.email);
    // This instance read "missing" just before the other's insert.
    const late = { ...store, exists: () => Promise.resolve(false) };
    const outcome = await ensureAdmin(
      { store: late, hashPassword, verifyPassword, now: () => LATER },
      configured,
    );
    t.is(outcome, 'unchanged');
    t.deepEqual(await account(configured.email), first);
  });
}
