import { randomUUID } from 'node:crypto';
import test from 'ava';
import { changeRole } from '../../../functions/user/change-role/use-case';
import type { Principal, Role } from '../../../shared/domain/user/roles';
import type { UserRecord } from '../../../shared/domain/user/user';
import { AppError } from '../../../shared/errors/app-error';
import { memoryRefreshTokenStore } from '../../support/memory/memory-refresh-token-store';
import { memoryUserRepository } from '../../support/memory/memory-user-repository';
import { testClock } from '../../support/memory/test-clock';

const principal = (user: UserRecord): Principal => ({
  userId: user.id,
  role: user.role,
  tokenId: randomUUID(),
  sessionId: randomUUID(),
  expiresAt: new Date('2100-01-01T00:00:00Z'),
});

async function setup() {
  const clock = testClock();
  const refreshTokens = memoryRefreshTokenStore();
  const users = memoryUserRepository({ refreshTokens });
  const person = (name: string, role: Role): UserRecord => ({
    id: randomUUID(),
    email: `${name.toLowerCase()}@example.com`,
    name,
    role,
    passwordHash: `hash:${name}`,
    createdAt: clock.now(),
    updatedAt: clock.now(),
  });
  const [admin, ada, bob] = [person('Admin', 'admin'), person('Ada', 'customer'), person('Bob', 'admin')];
  for (const user of [admin, ada, bob]) await users.insert(user, []);
  await refreshTokens.insert({
    id: randomUUID(),
    userId: ada.id,
    familyId: randomUUID(),
    tokenHash: 'ada-session',
    expiresAt: new Date('2030-02-01T00:00:00Z'),
  });
  clock.advance(60_000);
  return { clock, users, refreshTokens, admin, ada, bob, deps: { users, now: clock.now } };
}

test('an admin promotes and demotes other users; sessions stay (the role reaches them at refresh)', async (t) => {
  const { clock, users, refreshTokens, admin, ada, bob, deps } = await setup();
  const promoted = await changeRole(deps, principal(admin), ada.id, { role: 'admin' });
  t.deepEqual(promoted, { ...ada, role: 'admin', updatedAt: clock.now() });
  t.deepEqual(await users.findById(ada.id), promoted);
  t.is(refreshTokens.tokens.get('ada-session')?.revokedAt, null);

  const demoted = await changeRole(deps, principal(admin), bob.id, { role: 'customer' });
  t.deepEqual(demoted, { ...bob, role: 'customer', updatedAt: clock.now() });
  t.deepEqual(await users.findById(bob.id), demoted);
});

test('an admin cannot change their own role', async (t) => {
  const { users, admin, deps } = await setup();
  const error = await t.throwsAsync(changeRole(deps, principal(admin), admin.id, { role: 'customer' }), {
    instanceOf: AppError,
  });
  t.like(error, { kind: 'rule', code: 'USER.OWN_ROLE' });
  t.deepEqual(await users.findById(admin.id), admin);
});

test('an unknown user is USER.NOT_FOUND', async (t) => {
  const { users, admin, deps } = await setup();
  const error = await t.throwsAsync(changeRole(deps, principal(admin), randomUUID(), { role: 'admin' }), {
    instanceOf: AppError,
  });
  t.like(error, { kind: 'not-found', code: 'USER.NOT_FOUND' });
  t.is(users.users.size, 3);
});
