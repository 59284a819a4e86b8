import { randomUUID } from 'node:crypto';
import test from 'ava';
import { login } from '../../../functions/user/login/use-case';
import { LogoutInput } from '../../../functions/user/logout/use-case';
import { RefreshInput, refreshTokens as refresh } from '../../../functions/user/refresh-token/use-case';
import {
  hashRefreshToken,
  newRefreshToken,
  REFRESH_TOKEN_TTL_MS,
} from '../../../shared/domain/user/refresh-token';
import type { TokenPair } from '../../../shared/domain/user/token-pair';
import type { RefreshTokenStore } from '../../../shared/domain/user/user-ports';
import { AppError } from '../../../shared/errors/app-error';
import { fakeAccessToken, fakeSigner } from '../../support/memory/fake-access-token-signer';
import { fakeHash, fakePasswords } from '../../support/memory/fake-passwords';
import { memoryPasswordThrottleStore } from '../../support/memory/memory-password-throttle-store';
import { memoryRefreshTokenStore } from '../../support/memory/memory-refresh-token-store';
import { memoryUserRepository } from '../../support/memory/memory-user-repository';
import { testClock } from '../../support/memory/test-clock';

const PASSWORD = 'correct horse battery';
const invalid = {
  kind: 'unauthenticated',
  code: 'AUTH.INVALID_REFRESH_TOKEN',
  message: 'The refresh token is invalid or expired.',
} as const;
const reused = {
  kind: 'unauthenticated',
  code: 'AUTH.REFRESH_TOKEN_REUSED',
  message: 'The refresh token was already used; sign in again.',
} as const;

async function setup() {
  const clock = testClock();
  const store = memoryRefreshTokenStore();
  const users = memoryUserRepository({ refreshTokens: store });
  const passwords = fakePasswords();
  const signer = fakeSigner(clock.now);
  let families = 0;
  const ada = {
    id: randomUUID(),
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    role: 'customer',
    passwordHash: fakeHash(PASSWORD),
    createdAt: clock.now(),
    updatedAt: clock.now(),
  } as const;
  await users.insert(ada, []);
  const signIn = () =>
    login(
      {
        users,
        refreshTokens: store,
        throttle: memoryPasswordThrottleStore(),
        verifyPassword: passwords.verifyPassword,
        needsRehash: () => false,
        hashPassword: passwords.hashPassword,
        sign: signer.sign,
        newFamilyId: () => `family-${++families}`,
        now: clock.now,
      },
      { email: ada.email, password: PASSWORD },
    );
  const deps = { users, refreshTokens: store as RefreshTokenStore, sign: signer.sign, now: clock.now };
  const find = (pair: TokenPair) => store.findByHash(hashRefreshToken(pair.refreshToken));
  return { clock, store, users, signer, ada, signIn, deps, find };
}

test('a live token rotates into a new pair in the same family', async (t) => {
  const { clock, ada, signIn, deps, find, store } = await setup();
  const first = await signIn();
  const issued = await find(first);
  clock.advance(60_000);
  const second = await refresh(deps, { refreshToken: first.refreshToken });
  t.deepEqual(second, {
    accessToken: fakeAccessToken({ userId: ada.id, role: 'customer' }, 2),
    refreshToken: second.refreshToken,
    tokenType: 'Bearer',
    expiresIn: 300,
  });
  t.not(second.refreshToken, first.refreshToken);
  t.deepEqual(await find(first), { ...issued, rotatedAt: clock.now() }, 'the presented token is used up');
  const successor = await find(second);
  t.deepEqual(successor, {
    id: successor?.id ?? '',
    userId: ada.id,
    familyId: 'family-1',
    expiresAt: new Date(clock.now().getTime() + REFRESH_TOKEN_TTL_MS),
  });
  t.is(store.tokens.size, 2);
});

test('presenting a rotated token again revokes its family, and only its family', async (t) => {
  const { clock, signIn, deps, find } = await setup();
  const first = await signIn();
  const otherLogin = await signIn();
  clock.advance(1000);
  const rotatedAt = clock.now();
  const second = await refresh(deps, { refreshToken: first.refreshToken });
  clock.advance(1000);

  const error = await t.throwsAsync(refresh(deps, { refreshToken: first.refreshToken }), {
    instanceOf: AppError,
  });
  t.like(error, reused);
  t.like(await find(first), { rotatedAt, revokedAt: clock.now() });
  t.like(await find(second), { revokedAt: clock.now() });
  t.is((await find(otherLogin))?.revokedAt, undefined);
  t.like(await t.throwsAsync(refresh(deps, { refreshToken: second.refreshToken })), invalid);
  await t.notThrowsAsync(refresh(deps, { refreshToken: otherLogin.refreshToken }));
});

test('a token works until its expiry, and is refused from then on and left as it is', async (t) => {
  const { clock, signIn, deps, find } = await setup();
  const [early, late] = [await signIn(), await signIn()];
  const issued = await find(late);
  clock.advance(REFRESH_TOKEN_TTL_MS - 1);
  await t.notThrowsAsync(refresh(deps, { refreshToken: early.refreshToken }));
  clock.advance(1);
  const error = await t.throwsAsync(refresh(deps, { refreshToken: late.refreshToken }), {
    instanceOf: AppError,
  });
  t.like(error, invalid);
  t.deepEqual(await find(late), issued);
});

test('a revoked token is refused and left as it is', async (t) => {
  const { clock, signIn, deps, find, store } = await setup();
  const pair = await signIn();
  const record = await store.findByHash(hashRefreshToken(pair.refreshToken));
  await store.revokeFamily(record?.familyId ?? '', clock.now());
  const revoked = await find(pair);
  clock.advance(1000);
  const error = await t.throwsAsync(refresh(deps, { refreshToken: pair.refreshToken }), {
    instanceOf: AppError,
  });
  t.like(error, invalid);
  t.deepEqual(await find(pair), revoked);
  t.is(store.tokens.size, 1, 'no successor');
});

test('an unknown token is refused', async (t) => {
  const { deps, signer, store } = await setup();
  const error = await t.throwsAsync(refresh(deps, { refreshToken: newRefreshToken().token }), {
    instanceOf: AppError,
  });
  t.like(error, invalid);
  t.deepEqual(signer.signed, []);
  t.is(store.tokens.size, 0);
});

test('of two concurrent refreshes with one token, one wins and the whole family is revoked', async (t) => {
  const { clock, signIn, deps, find } = await setup();
  const pair = await signIn();
  clock.advance(1000);
  const outcomes = await Promise.allSettled([
    refresh(deps, { refreshToken: pair.refreshToken }),
    refresh(deps, { refreshToken: pair.refreshToken }),
  ]);
  const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const lost = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
  );
  t.is(won.length, 1);
  t.is(lost.length, 1);
  t.like(lost[0], reused);
  const [winner] = won;
  if (!winner) return t.fail('no winner');
  t.like(await find(winner), { revokedAt: clock.now() }, "the winner's new token dies with its family");
  t.like(await t.throwsAsync(refresh(deps, { refreshToken: winner.refreshToken })), invalid);
});

test('a rotation the store refuses (a lost race) is answered as reuse and revokes the family', async (t) => {
  const { clock, signIn, deps, find, store } = await setup();
  const pair = await signIn();
  const other = await signIn();
  const issued = await find(pair);
  clock.advance(1000);
  const losing = { ...deps, refreshTokens: { ...store, rotate: () => Promise.resolve(false) } };
  const error = await t.throwsAsync(refresh(losing, { refreshToken: pair.refreshToken }), {
    instanceOf: AppError,
  });
  t.like(error, reused);
  t.deepEqual(await find(pair), { ...issued, revokedAt: clock.now() });
  t.is((await find(other))?.revokedAt, undefined, 'another family is untouched');
  t.is(store.tokens.size, 2, 'no successor stored');
});

test('the role is read afresh at each refresh', async (t) => {
  const { clock, ada, users, signIn, deps, signer } = await setup();
  const pair = await signIn();
  await users.update(ada.id, { role: 'admin' }, clock.now());
  const promoted = await refresh(deps, { refreshToken: pair.refreshToken });
  t.is(promoted.accessToken, fakeAccessToken({ userId: ada.id, role: 'admin' }, 2));
  t.deepEqual(signer.signed, [
    { userId: ada.id, role: 'customer' },
    { userId: ada.id, role: 'admin' },
  ]);
});

test('a token of an account that no longer exists is refused and not rotated', async (t) => {
  const { clock, deps, store, signer } = await setup();
  const { token, hash } = newRefreshToken();
  const orphan = {
    id: randomUUID(),
    userId: randomUUID(),
    familyId: 'family-x',
    tokenHash: hash,
    expiresAt: new Date(clock.now().getTime() + REFRESH_TOKEN_TTL_MS),
  };
  await store.insert(orphan);
  const error = await t.throwsAsync(refresh(deps, { refreshToken: token }), { instanceOf: AppError });
  t.like(error, { ...invalid, message: 'The account no longer exists.' });
  t.deepEqual(await store.findByHash(hash), {
    id: orphan.id,
    userId: orphan.userId,
    familyId: 'family-x',
    expiresAt: orphan.expiresAt,
  });
  t.deepEqual(signer.signed, []);
});

test('the presented token is bounded: empty and over 512 characters are refused, as are other fields', (t) => {
  for (const schema of [RefreshInput, LogoutInput]) {
    t.true(schema.safeParse({ refreshToken: 'x' }).success);
    t.true(schema.safeParse({ refreshToken: 'x'.repeat(512) }).success);
    t.false(schema.safeParse({ refreshToken: '' }).success);
    t.false(schema.safeParse({ refreshToken: 'x'.repeat(513) }).success);
    t.false(schema.safeParse({ refreshToken: 'x', userId: 'someone' }).success);
  }
});
