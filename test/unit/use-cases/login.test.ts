import { randomUUID } from 'node:crypto';
import test from 'ava';
import { login } from '../../../functions/user/login/use-case';
import { hashRefreshToken, REFRESH_TOKEN_TTL_MS } from '../../../shared/domain/user/refresh-token';
import type { Role } from '../../../shared/domain/user/roles';
import { FIRST_DELAY_MS, FREE_FAILURES } from '../../../shared/domain/user/password-throttle';
import { AppError } from '../../../shared/errors/app-error';
import { fakeAccessToken, fakeSigner } from '../../support/memory/fake-access-token-signer';
import { fakeHash, fakePasswords } from '../../support/memory/fake-passwords';
import { memoryPasswordThrottleStore } from '../../support/memory/memory-password-throttle-store';
import { memoryRefreshTokenStore } from '../../support/memory/memory-refresh-token-store';
import { memoryUserRepository } from '../../support/memory/memory-user-repository';
import { testClock } from '../../support/memory/test-clock';

const PASSWORD = 'correct horse battery';

async function setup(role: Role = 'customer') {
  const clock = testClock();
  const refreshTokens = memoryRefreshTokenStore();
  const users = memoryUserRepository({ refreshTokens });
  const passwords = fakePasswords();
  const signer = fakeSigner(clock.now);
  let families = 0;
  const ada = {
    id: randomUUID(),
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    role,
    passwordHash: fakeHash(PASSWORD),
    createdAt: clock.now(),
    updatedAt: clock.now(),
  };
  await users.insert(ada, []);
  clock.advance(60_000);
  const deps = {
    users,
    refreshTokens,
    throttle: memoryPasswordThrottleStore(),
    verifyPassword: passwords.verifyPassword,
    hashPassword: passwords.hashPassword,
    // The fake hashes of today are `hash:<password>`; anything else counts as made with older parameters.
    needsRehash: (passwordHash: string) => !passwordHash.startsWith('hash:'),
    sign: signer.sign,
    newFamilyId: () => `family-${++families}`,
    now: clock.now,
  };
  return { clock, refreshTokens, passwords, signer, ada, deps };
}

test('the right password gives a token pair whose refresh token is stored in a new family', async (t) => {
  const { refreshTokens, ada, deps, clock } = await setup();
  const pair = await login(deps, { email: 'ada@example.com', password: PASSWORD });
  t.regex(pair.refreshToken, /^[A-Za-z0-9_-]{43}$/);
  t.deepEqual(pair, {
    accessToken: fakeAccessToken({ userId: ada.id, role: 'customer' }, 1),
    refreshToken: pair.refreshToken,
    tokenType: 'Bearer',
    expiresIn: 300,
  });
  const stored = await refreshTokens.findByHash(hashRefreshToken(pair.refreshToken));
  t.deepEqual(stored, {
    id: stored?.id ?? '',
    userId: ada.id,
    familyId: 'family-1',
    expiresAt: new Date(clock.now().getTime() + REFRESH_TOKEN_TTL_MS),
  });

  const again = await login(deps, { email: 'ada@example.com', password: PASSWORD });
  t.not(again.refreshToken, pair.refreshToken);
  t.like(await refreshTokens.findByHash(hashRefreshToken(again.refreshToken)), { familyId: 'family-2' });
  t.deepEqual(await refreshTokens.findByHash(hashRefreshToken(pair.refreshToken)), stored, 'first untouched');
  t.is(refreshTokens.tokens.size, 2);
});

test('the e-mail matches whatever its case, and the token carries the role', async (t) => {
  const { ada, deps, signer } = await setup('admin');
  const pair = await login(deps, { email: ' ADA@Example.COM', password: PASSWORD });
  t.is(pair.accessToken, fakeAccessToken({ userId: ada.id, role: 'admin' }, 1));
  t.deepEqual(signer.signed, [{ userId: ada.id, role: 'admin' }]);
});

test('a wrong password and an unknown e-mail get one answer, both after a password check', async (t) => {
  const { refreshTokens, passwords, signer, deps } = await setup();
  const wrong = await t.throwsAsync(login(deps, { email: 'ada@example.com', password: 'not the password' }), {
    instanceOf: AppError,
  });
  const unknown = await t.throwsAsync(login(deps, { email: 'nobody@example.com', password: PASSWORD }), {
    instanceOf: AppError,
  });
  const answer = { kind: 'unauthenticated', code: 'AUTH.INVALID_CREDENTIALS' } as const;
  t.like(wrong, answer);
  t.like(unknown, answer);
  t.is(wrong.message, unknown.message);
  t.deepEqual(passwords.verified, [
    { passwordHash: fakeHash(PASSWORD), password: 'not the password' },
    { passwordHash: undefined, password: PASSWORD },
  ]);
  t.is(refreshTokens.tokens.size, 0);
  t.deepEqual(signer.signed, []);
});

test('a password hashed with older parameters is hashed again at login, the sessions kept', async (t) => {
  const { refreshTokens, passwords, ada, deps, clock } = await setup();
  const legacy = { ...ada, id: randomUUID(), email: 'old@example.com', passwordHash: 'legacy-hash' };
  await deps.users.insert(legacy, []);
  const verifyLegacy = (passwordHash: string | undefined, password: string) =>
    Promise.resolve(
      passwordHash === 'legacy-hash'
        ? password === PASSWORD
        : passwords.verifyPassword(passwordHash, password),
    );
  const first = await login(
    { ...deps, verifyPassword: verifyLegacy },
    { email: 'old@example.com', password: PASSWORD },
  );
  t.like(await deps.users.findById(legacy.id), { passwordHash: fakeHash(PASSWORD), updatedAt: clock.now() });
  t.deepEqual(passwords.hashed, [PASSWORD]);
  t.like(await refreshTokens.findByHash(hashRefreshToken(first.refreshToken)), { revokedAt: undefined });

  await login(deps, { email: 'ada@example.com', password: PASSWORD });
  t.deepEqual(passwords.hashed, [PASSWORD], 'a hash of today is left alone');
});

test('after a few wrong passwords an account waits: 429 with the wait, no password work; a success clears', async (t) => {
  const { passwords, deps, clock, ada } = await setup();
  const attempt = (password: string) => login(deps, { email: 'ada@example.com', password });
  for (let i = 0; i < FREE_FAILURES; i++) {
    await t.throwsAsync(attempt('wrong'), { instanceOf: AppError, message: /wrong/ });
  }
  t.is(deps.throttle.states.size, 1);
  await t.throwsAsync(attempt('wrong'), { instanceOf: AppError, message: /wrong/ });
  const checked = passwords.verified.length;
  const waiting = await t.throwsAsync(attempt(PASSWORD), { instanceOf: AppError });
  t.like(waiting, { kind: 'rate-limited', code: 'AUTH.TOO_MANY_ATTEMPTS', retryAfterSeconds: 1 });
  t.is(passwords.verified.length, checked, 'no argon2 work while the account waits');
  await t.throwsAsync(login(deps, { email: ' ADA@example.com', password: PASSWORD }), {
    instanceOf: AppError,
    message: /wait/,
  });

  clock.advance(FIRST_DELAY_MS);
  const pair = await attempt(PASSWORD);
  t.is(pair.accessToken, fakeAccessToken({ userId: ada.id, role: 'customer' }, 1));
  t.is(deps.throttle.states.size, 0, 'the success cleared the count');
});

test('50 wrong passwords at once: only the free ones and the one that starts the wait are verified, the rest 429', async (t) => {
  const { passwords, deps } = await setup();
  const outcomes = await Promise.allSettled(
    Array.from({ length: 50 }, (_, i) =>
      login(deps, { email: 'ada@example.com', password: `wrong ${String(i)}` }),
    ),
  );
  t.is(passwords.verified.length, FREE_FAILURES + 1, 'no more argon2 work than the throttle allows');
  const codes = outcomes.map((outcome) =>
    outcome.status === 'rejected' ? (outcome.reason as AppError).code : 'ok',
  );
  t.is(codes.filter((code) => code === 'AUTH.INVALID_CREDENTIALS').length, FREE_FAILURES + 1);
  t.is(codes.filter((code) => code === 'AUTH.TOO_MANY_ATTEMPTS').length, 50 - FREE_FAILURES - 1);
});

test('an unknown e-mail is throttled alike, so the wait does not tell which accounts exist', async (t) => {
  const { passwords, deps } = await setup();
  const attempt = () => login(deps, { email: 'nobody@example.com', password: PASSWORD });
  for (let i = 0; i <= FREE_FAILURES; i++) await t.throwsAsync(attempt(), { message: /wrong/ });
  const checked = passwords.verified.length;
  await t.throwsAsync(attempt(), { instanceOf: AppError, message: /wait/ });
  t.is(passwords.verified.length, checked);
});
