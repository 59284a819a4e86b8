import { randomUUID } from 'node:crypto';
import test from 'ava';
import { getMe, getUser, listUsers } from '../../../functions/user/user-query/use-case';
import type { Principal } from '../../../shared/domain/user/roles';
import type { UserRecord } from '../../../shared/domain/user/user';
import { AppError } from '../../../shared/errors/app-error';
import { memoryUserRepository } from '../../support/memory/memory-user-repository';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');

const principal = (userId: string): Principal => ({
  userId,
  role: 'customer',
  tokenId: randomUUID(),
  sessionId: randomUUID(),
  expiresAt: new Date('2100-01-01T00:00:00Z'),
});

/** Five users registered a minute apart (u1 first), stored in another order. */
async function setup() {
  const users = memoryUserRepository();
  const all: UserRecord[] = [1, 2, 3, 4, 5].map((n) => ({
    id: randomUUID(),
    email: `user${n}@example.com`,
    name: `User ${n}`,
    role: n === 1 ? 'admin' : 'customer',
    passwordHash: `hash:${n}`,
    createdAt: new Date(T0 + n * 60_000),
    updatedAt: new Date(T0 + 3_600_000),
  }));
  for (const index of [3, 0, 4, 1, 2]) {
    const user = all[index];
    if (user) await users.insert(user, []);
  }
  return { users, all };
}

/** The public view: no password hash, no updatedAt. */
const view = (user: UserRecord | undefined) => ({
  id: user?.id,
  email: user?.email,
  name: user?.name,
  role: user?.role,
  createdAt: user?.createdAt.toISOString(),
});

const notFound = { kind: 'not-found', code: 'USER.NOT_FOUND' } as const;

test("getMe answers the caller's own account as its public view", async (t) => {
  const { users, all } = await setup();
  t.deepEqual(await getMe(users, principal(all[2]?.id ?? '')), view(all[2]));
  t.deepEqual(await getMe(users, principal(all[2]?.id ?? '')), {
    id: all[2]?.id,
    email: 'user3@example.com',
    name: 'User 3',
    role: 'customer',
    createdAt: '2030-01-01T00:03:00.000Z',
  });
});

test('getMe of an account that no longer exists is USER.NOT_FOUND', async (t) => {
  const { users } = await setup();
  t.like(await t.throwsAsync(getMe(users, principal(randomUUID())), { instanceOf: AppError }), notFound);
});

test('getUser answers any user by id, and USER.NOT_FOUND for an unknown one', async (t) => {
  const { users, all } = await setup();
  t.deepEqual(await getUser(users, all[0]?.id ?? ''), view(all[0]));
  t.like(await t.throwsAsync(getUser(users, randomUUID()), { instanceOf: AppError }), notFound);
});

test('listUsers pages oldest first with the total, and a page past the end is empty', async (t) => {
  const { users, all } = await setup();
  const views = all.map(view);
  t.deepEqual(await listUsers(users, { page: 1, pageSize: 2 }), {
    items: views.slice(0, 2),
    page: 1,
    pageSize: 2,
    total: 5,
  });
  t.deepEqual(await listUsers(users, { page: 2, pageSize: 2 }), {
    items: views.slice(2, 4),
    page: 2,
    pageSize: 2,
    total: 5,
  });
  t.deepEqual(await listUsers(users, { page: 3, pageSize: 2 }), {
    items: views.slice(4),
    page: 3,
    pageSize: 2,
    total: 5,
  });
  t.deepEqual(await listUsers(users, { page: 4, pageSize: 2 }), {
    items: [],
    page: 4,
    pageSize: 2,
    total: 5,
  });
  t.deepEqual(await listUsers(users, { page: 1, pageSize: 20 }), {
    items: views,
    page: 1,
    pageSize: 20,
    total: 5,
  });
});
