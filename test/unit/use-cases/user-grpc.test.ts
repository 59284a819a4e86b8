import { randomUUID } from 'node:crypto';
import test from 'ava';
import {
  currentSession,
  getContact,
  GetContactRequest,
  getUserFor,
  GetUserRequest,
  listUsersFor,
} from '../../../functions/user/user-grpc/use-case';
import type { Principal, Role } from '../../../shared/domain/user/roles';
import type { UserRecord } from '../../../shared/domain/user/user';
import { AppError } from '../../../shared/errors/app-error';
import { memoryUserRepository } from '../../support/memory/memory-user-repository';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const INTERNAL = 'the-internal-token-of-the-shop-services';

const principal = (user: UserRecord, role: Role = user.role): Principal => ({
  userId: user.id,
  role,
  tokenId: randomUUID(),
  sessionId: randomUUID(),
  expiresAt: new Date('2100-01-01T00:00:00Z'),
});

/** An admin and two customers registered a minute apart, and how to count the times the users were reached. */
async function setup() {
  const users = memoryUserRepository();
  const person = (n: number, name: string, role: Role): UserRecord => ({
    id: randomUUID(),
    email: `${name.toLowerCase()}@example.com`,
    name,
    role,
    passwordHash: `hash:${name}`,
    createdAt: new Date(T0 + n * 60_000),
    updatedAt: new Date(T0 + n * 60_000),
  });
  const [admin, ada, bob] = [
    person(1, 'Admin', 'admin'),
    person(2, 'Ada', 'customer'),
    person(3, 'Bob', 'customer'),
  ];
  for (const user of [admin, ada, bob]) await users.insert(user, []);
  let reached = 0;
  const contactDeps = {
    users: () => {
      reached += 1;
      return Promise.resolve(users);
    },
    isInternalToken: (presented: string | undefined) => presented === INTERNAL,
  };
  return { users, admin, ada, bob, contactDeps, reached: () => reached };
}

/** The public view: no password hash, no updatedAt. */
const view = (user: UserRecord) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  createdAt: user.createdAt.toISOString(),
});

const notFound = { kind: 'not-found', code: 'USER.NOT_FOUND' } as const;

test('GetUser: a customer reads themselves; another user is USER.NOT_FOUND, as an unknown id is', async (t) => {
  const { users, ada, bob } = await setup();
  t.deepEqual(await getUserFor(users, principal(ada), { id: ada.id }), view(ada));
  for (const id of [bob.id, randomUUID()]) {
    const error = await t.throwsAsync(getUserFor(users, principal(ada), { id }), { instanceOf: AppError });
    t.like(error, notFound);
  }
});

test('GetUser: an admin reads anyone; an unknown id is USER.NOT_FOUND', async (t) => {
  const { users, admin, ada, bob } = await setup();
  for (const user of [admin, ada, bob])
    t.deepEqual(await getUserFor(users, principal(admin), { id: user.id }), view(user));
  const error = await t.throwsAsync(getUserFor(users, principal(admin), { id: randomUUID() }), {
    instanceOf: AppError,
  });
  t.like(error, notFound);
});

test("GetUser: the caller's role now decides, not the stored one", async (t) => {
  const { users, ada, bob } = await setup();
  t.deepEqual(await getUserFor(users, principal(ada, 'admin'), { id: bob.id }), view(bob));
  const demoted = await t.throwsAsync(getUserFor(users, principal(ada, 'customer'), { id: bob.id }));
  t.like(demoted, notFound);
});

test('GetCurrentSession answers the caller, their session and their current role', (t) => {
  const caller: Principal = {
    userId: randomUUID(),
    role: 'admin',
    tokenId: randomUUID(),
    sessionId: randomUUID(),
    expiresAt: new Date('2100-01-01T00:00:00Z'),
  };
  t.deepEqual(currentSession(caller), { userId: caller.userId, sessionId: caller.sessionId, role: 'admin' });
});

test('GetContact answers the id, e-mail and name to a caller with the internal token', async (t) => {
  const { ada, contactDeps } = await setup();
  t.deepEqual(await getContact(contactDeps, INTERNAL, { userId: ada.id }), {
    userId: ada.id,
    email: 'ada@example.com',
    name: 'Ada',
  });
  const missing = await t.throwsAsync(getContact(contactDeps, INTERNAL, { userId: randomUUID() }), {
    instanceOf: AppError,
  });
  t.like(missing, notFound);
});

test('GetContact without the internal token is AUTH.INTERNAL_ONLY, for any user, before the users are reached', async (t) => {
  const { ada, contactDeps, reached } = await setup();
  for (const presented of [undefined, '', `${INTERNAL}x`, 'Bearer a.user.token']) {
    for (const userId of [ada.id, randomUUID()]) {
      const refused = await t.throwsAsync(getContact(contactDeps, presented, { userId }), {
        instanceOf: AppError,
      });
      t.like(refused, { kind: 'unauthenticated', code: 'AUTH.INTERNAL_ONLY' });
    }
  }
  t.is(reached(), 0);
});

test('ListUsers: an admin gets the page, oldest first with the total; a customer is AUTH.FORBIDDEN', async (t) => {
  const { users, admin, ada, bob } = await setup();
  t.deepEqual(await listUsersFor(users, principal(admin), { page: 1, pageSize: 2 }), {
    items: [view(admin), view(ada)],
    page: 1,
    pageSize: 2,
    total: 3,
  });
  t.deepEqual(await listUsersFor(users, principal(admin), { page: 2, pageSize: 2 }), {
    items: [view(bob)],
    page: 2,
    pageSize: 2,
    total: 3,
  });
  const refused = await t.throwsAsync(listUsersFor(users, principal(ada), { page: 1, pageSize: 2 }), {
    instanceOf: AppError,
  });
  t.like(refused, { kind: 'forbidden', code: 'AUTH.FORBIDDEN' });
});

test('the requests: ids are UUIDs', (t) => {
  const id = randomUUID();
  t.deepEqual(GetUserRequest.parse({ id }), { id });
  t.deepEqual(GetContactRequest.parse({ userId: id }), { userId: id });
  for (const bad of ['', 'not-a-uuid', `${id}0`]) {
    t.false(GetUserRequest.safeParse({ id: bad }).success, bad);
    t.false(GetContactRequest.safeParse({ userId: bad }).success, bad);
  }
});
