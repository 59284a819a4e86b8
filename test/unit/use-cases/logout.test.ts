import { randomUUID } from 'node:crypto';
import test from 'ava';
import { logout } from '../../../functions/user/logout/use-case';
import { newRefreshToken, REFRESH_TOKEN_TTL_MS } from '../../../shared/domain/user/refresh-token';
import type { Principal } from '../../../shared/domain/user/roles';
import { memoryRefreshTokenStore } from '../../support/memory/memory-refresh-token-store';
import { testClock } from '../../support/memory/test-clock';

const caller = (userId: string): Principal => ({
  userId,
  role: 'customer',
  tokenId: randomUUID(),
  sessionId: randomUUID(),
  expiresAt: new Date('2100-01-01T00:00:00Z'),
});

function setup() {
  const clock = testClock();
  const refreshTokens = memoryRefreshTokenStore();
  /** Stores a new refresh token of `userId` (a login) and answers the token the client holds. */
  const issue = async (userId: string, familyId: string = randomUUID()) => {
    const { token, hash } = newRefreshToken();
    await refreshTokens.insert({
      id: randomUUID(),
      userId,
      familyId,
      tokenHash: hash,
      expiresAt: new Date(clock.now().getTime() + REFRESH_TOKEN_TTL_MS),
    });
    return { token, hash, familyId };
  };
  const deps = { refreshTokens, now: clock.now };
  return { clock, refreshTokens, issue, deps };
}

test("ends the session of the caller's token (its whole family), and not the caller's other sessions", async (t) => {
  const { clock, refreshTokens, issue, deps } = setup();
  const ada = randomUUID();
  const [session, otherSession] = [await issue(ada), await issue(ada)];
  const successor = await issue(ada, session.familyId);
  const other = await refreshTokens.findByHash(otherSession.hash);
  clock.advance(1000);
  await t.notThrowsAsync(logout(deps, caller(ada), { refreshToken: session.token }));
  t.like(await refreshTokens.findByHash(session.hash), { userId: ada, revokedAt: clock.now() });
  t.like(await refreshTokens.findByHash(successor.hash), { userId: ada, revokedAt: clock.now() });
  t.deepEqual(await refreshTokens.findByHash(otherSession.hash), other);
});

test('a token already rotated is reuse: its live successor is revoked too', async (t) => {
  const { clock, refreshTokens, issue, deps } = setup();
  const ada = randomUUID();
  const first = await issue(ada);
  const successor = await issue(ada, first.familyId);
  const record = await refreshTokens.findByHash(first.hash);
  t.true(
    await refreshTokens.rotate(
      record?.id ?? '',
      {
        id: randomUUID(),
        userId: ada,
        familyId: first.familyId,
        tokenHash: newRefreshToken().hash,
        expiresAt: new Date(clock.now().getTime() + REFRESH_TOKEN_TTL_MS),
      },
      clock.now(),
    ),
  );
  clock.advance(1000);
  await t.notThrowsAsync(logout(deps, caller(ada), { refreshToken: first.token }));
  t.like(await refreshTokens.findByHash(successor.hash), { revokedAt: clock.now() });
  t.true(
    [...refreshTokens.tokens.values()].every((token) => token.revokedAt?.getTime() === clock.now().getTime()),
  );
});

test("someone else's token is left untouched, and the call still succeeds", async (t) => {
  const { refreshTokens, issue, deps } = setup();
  const [ada, bob] = [randomUUID(), randomUUID()];
  const adas = await issue(ada);
  const before = await refreshTokens.findByHash(adas.hash);
  await t.notThrowsAsync(logout(deps, caller(bob), { refreshToken: adas.token }));
  t.deepEqual(await refreshTokens.findByHash(adas.hash), before);
  t.is(before?.revokedAt, undefined);
});

test('logging out twice, or with an unknown token, succeeds and changes nothing more', async (t) => {
  const { clock, refreshTokens, issue, deps } = setup();
  const ada = randomUUID();
  const session = await issue(ada);
  const loggedOutAt = clock.now();
  await logout(deps, caller(ada), { refreshToken: session.token });
  clock.advance(1000);
  await t.notThrowsAsync(logout(deps, caller(ada), { refreshToken: session.token }));
  t.like(await refreshTokens.findByHash(session.hash), { revokedAt: loggedOutAt }, 'keeps the first time');
  await t.notThrowsAsync(logout(deps, caller(ada), { refreshToken: newRefreshToken().token }));
  t.is(refreshTokens.tokens.size, 1);
});

test("ends the session the access token names (sid) even with another user's refresh token, and only that", async (t) => {
  const { clock, refreshTokens, issue, deps } = setup();
  const [ada, bob] = [randomUUID(), randomUUID()];
  const adaSession = await issue(ada);
  const adaOther = await issue(ada);
  const bobSession = await issue(bob);
  clock.advance(1000);
  const me = { ...caller(ada), sessionId: adaSession.familyId };
  await logout(deps, me, { refreshToken: bobSession.token });
  t.like(await refreshTokens.findByHash(adaSession.hash), { revokedAt: clock.now() });
  t.is((await refreshTokens.findByHash(adaOther.hash))?.revokedAt, undefined);
  t.is((await refreshTokens.findByHash(bobSession.hash))?.revokedAt, undefined);
});
