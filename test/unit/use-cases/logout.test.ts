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
  expiresAt: new Date('2100-01-01T00:00:00Z'),
});

function setup() {
  const clock = testClock();
  const refreshTokens = memoryRefreshTokenStore();
  /** Stores a new refresh token of `userId` (a login) and answers the token the client holds. */
  const issue = async (userId: string) => {
    const { token, hash } = newRefreshToken();
    await refreshTokens.insert({
      id: randomUUID(),
      userId,
      familyId: randomUUID(),
      tokenHash: hash,
      expiresAt: new Date(clock.now().getTime() + REFRESH_TOKEN_TTL_MS),
    });
    return { token, hash };
  };
  const deps = { refreshTokens, now: clock.now };
  return { clock, refreshTokens, issue, deps };
}

test("revokes the caller's token, and not the caller's other sessions", async (t) => {
  const { clock, refreshTokens, issue, deps } = setup();
  const ada = randomUUID();
  const [session, otherSession] = [await issue(ada), await issue(ada)];
  const other = await refreshTokens.findByHash(otherSession.hash);
  clock.advance(1000);
  await t.notThrowsAsync(logout(deps, caller(ada), { refreshToken: session.token }));
  t.like(await refreshTokens.findByHash(session.hash), { userId: ada, revokedAt: clock.now() });
  t.deepEqual(await refreshTokens.findByHash(otherSession.hash), other);
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
