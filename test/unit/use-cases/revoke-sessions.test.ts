import { randomUUID } from 'node:crypto';
import test from 'ava';
import { revokeSessions } from '../../../functions/user/revoke-sessions/use-case';
import type { UserRecord } from '../../../shared/domain/user/user';
import { memoryRefreshTokenStore } from '../../support/memory/memory-refresh-token-store';
import { memoryUserRepository } from '../../support/memory/memory-user-repository';
import { testClock } from '../../support/memory/test-clock';

async function setup() {
  const clock = testClock();
  const refreshTokens = memoryRefreshTokenStore();
  const users = memoryUserRepository({ refreshTokens });
  const person = (name: string): UserRecord => ({
    id: randomUUID(),
    email: `${name.toLowerCase()}@example.com`,
    name,
    role: 'customer',
    passwordHash: `hash:${name}`,
    createdAt: clock.now(),
    updatedAt: clock.now(),
  });
  const [ada, bob] = [person('Ada'), person('Bob')];
  for (const user of [ada, bob]) await users.insert(user, []);
  const session = async (userId: string, tokenHash: string) => {
    await refreshTokens.insert({
      id: randomUUID(),
      userId,
      familyId: randomUUID(),
      tokenHash,
      expiresAt: new Date(clock.now().getTime() + 86_400_000),
    });
  };
  await session(ada.id, 'ada-phone');
  await session(ada.id, 'ada-laptop');
  await session(bob.id, 'bob-phone');
  return { clock, refreshTokens, deps: { users, refreshTokens, now: clock.now }, ada, bob };
}

test("revokes every session of the user, and nobody else's", async (t) => {
  const { clock, refreshTokens, deps, ada } = await setup();
  clock.advance(1000);
  await revokeSessions(deps, ada.id);
  t.like(await refreshTokens.findByHash('ada-phone'), { revokedAt: clock.now() });
  t.like(await refreshTokens.findByHash('ada-laptop'), { revokedAt: clock.now() });
  t.is((await refreshTokens.findByHash('bob-phone'))?.revokedAt, undefined);
});

test('an unknown user is USER.NOT_FOUND and changes nothing', async (t) => {
  const { refreshTokens, deps } = await setup();
  const before = [...refreshTokens.tokens.values()];
  await t.throwsAsync(revokeSessions(deps, randomUUID()), { message: 'No such user.' });
  t.deepEqual([...refreshTokens.tokens.values()], before);
});
