import { randomUUID } from 'node:crypto';
import test from 'ava';
import { UpdateProfileInput, updateProfile } from '../../../functions/user/update-profile/use-case';
import type { Principal } from '../../../shared/domain/user/roles';
import type { UserRecord } from '../../../shared/domain/user/user';
import { FREE_FAILURES, throttleKey } from '../../../shared/domain/user/password-throttle';
import { AppError } from '../../../shared/errors/app-error';
import { fakeHash, fakePasswords } from '../../support/memory/fake-passwords';
import { memoryPasswordThrottleStore } from '../../support/memory/memory-password-throttle-store';
import { memoryRefreshTokenStore } from '../../support/memory/memory-refresh-token-store';
import { memoryUserRepository } from '../../support/memory/memory-user-repository';
import { testClock } from '../../support/memory/test-clock';

const OLD_PASSWORD = 'old password 123';
const NEW_PASSWORD = 'new password 456';

const caller = (userId: string): Principal => ({
  userId,
  role: 'customer',
  tokenId: randomUUID(),
  sessionId: randomUUID(),
  expiresAt: new Date('2100-01-01T00:00:00Z'),
});

async function setup() {
  const clock = testClock();
  const refreshTokens = memoryRefreshTokenStore();
  const users = memoryUserRepository({ refreshTokens });
  const passwords = fakePasswords();
  const person = (name: string): UserRecord => ({
    id: randomUUID(),
    email: `${name.toLowerCase()}@example.com`,
    name,
    role: 'customer',
    passwordHash: fakeHash(OLD_PASSWORD),
    createdAt: clock.now(),
    updatedAt: clock.now(),
  });
  const [ada, bob] = [person('Ada'), person('Bob')];
  for (const user of [ada, bob]) await users.insert(user, []);
  const session = (userId: string, n: number) => ({
    id: randomUUID(),
    userId,
    familyId: randomUUID(),
    tokenHash: `${userId}-${n}`,
    expiresAt: new Date('2030-02-01T00:00:00Z'),
  });
  for (const token of [session(ada.id, 1), session(ada.id, 2), session(bob.id, 1)]) {
    await refreshTokens.insert(token);
  }
  clock.advance(60_000);
  const deps = {
    users,
    throttle: memoryPasswordThrottleStore(),
    hashPassword: passwords.hashPassword,
    verifyPassword: passwords.verifyPassword,
    now: clock.now,
  };
  /** Every stored token's revocation time, by hash. */
  const revocations = () =>
    Object.fromEntries([...refreshTokens.tokens].map(([hash, token]) => [hash, token.revokedAt]));
  return { clock, users, passwords, ada, bob, deps, revocations };
}

test('changes the name and updatedAt, and keeps the sessions', async (t) => {
  const { clock, users, passwords, ada, deps, revocations } = await setup();
  const before = revocations();
  const updated = await updateProfile(deps, caller(ada.id), UpdateProfileInput.parse({ name: ' Ada King ' }));
  t.deepEqual(updated, { ...ada, name: 'Ada King', updatedAt: clock.now() });
  t.deepEqual(await users.findById(ada.id), updated);
  t.deepEqual(revocations(), before);
  t.deepEqual(passwords.verified, [], 'no password check for a name');
  t.deepEqual(passwords.hashed, []);
});

test("a new password needs the current one, and ends every session of the user's only", async (t) => {
  const { clock, users, passwords, ada, bob, deps, revocations } = await setup();
  const input = UpdateProfileInput.parse({ password: NEW_PASSWORD, currentPassword: OLD_PASSWORD });
  const updated = await updateProfile(deps, caller(ada.id), input);
  t.deepEqual(updated, { ...ada, passwordHash: fakeHash(NEW_PASSWORD), updatedAt: clock.now() });
  t.deepEqual(await users.findById(ada.id), updated);
  t.deepEqual(revocations(), {
    [`${ada.id}-1`]: clock.now(),
    [`${ada.id}-2`]: clock.now(),
    [`${bob.id}-1`]: null,
  });
  t.deepEqual(passwords.verified, [{ passwordHash: fakeHash(OLD_PASSWORD), password: OLD_PASSWORD }]);
  t.deepEqual(passwords.hashed, [NEW_PASSWORD]);
});

test('a wrong current password is refused and changes nothing, not even the name', async (t) => {
  const { users, passwords, ada, deps, revocations } = await setup();
  const before = revocations();
  const input = UpdateProfileInput.parse({
    name: 'Ada King',
    password: NEW_PASSWORD,
    currentPassword: 'not my password',
  });
  const error = await t.throwsAsync(updateProfile(deps, caller(ada.id), input), { instanceOf: AppError });
  t.like(error, { kind: 'forbidden', code: 'USER.CURRENT_PASSWORD_WRONG' });
  t.deepEqual(await users.findById(ada.id), ada);
  t.deepEqual(revocations(), before);
  t.deepEqual(passwords.hashed, []);
});

test('an account that no longer exists is USER.NOT_FOUND', async (t) => {
  const { users, deps } = await setup();
  const error = await t.throwsAsync(
    updateProfile(deps, caller(randomUUID()), UpdateProfileInput.parse({ name: 'Ghost' })),
    { instanceOf: AppError },
  );
  t.like(error, { kind: 'not-found', code: 'USER.NOT_FOUND' });
  t.is(users.users.size, 2);
});

test("the current-password check shares the account's throttle: guesses wait, with no password work", async (t) => {
  const { passwords, ada, deps } = await setup();
  const change = (currentPassword: string) =>
    updateProfile(
      deps,
      caller(ada.id),
      UpdateProfileInput.parse({ password: NEW_PASSWORD, currentPassword }),
    );
  for (let i = 0; i <= FREE_FAILURES; i++) {
    await t.throwsAsync(change('a guess'), { instanceOf: AppError, message: /current password is wrong/ });
  }
  t.like(deps.throttle.states.get(throttleKey(ada.email)), { failures: FREE_FAILURES + 1 });
  const checked = passwords.verified.length;
  const waiting = await t.throwsAsync(change(OLD_PASSWORD), { instanceOf: AppError });
  t.like(waiting, { kind: 'rate-limited', code: 'AUTH.TOO_MANY_ATTEMPTS' });
  t.is(passwords.verified.length, checked);
  t.deepEqual(passwords.hashed, []);
});
