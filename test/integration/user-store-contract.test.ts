import { randomBytes, randomUUID } from 'node:crypto';
import test from 'ava';
import { userService } from '../../functions/user/service';
import { sqlRefreshTokenStore } from '../../functions/user/sql-refresh-token-store';
import { sqlSessionLookup } from '../../functions/user/sql-session-lookup';
import { sqlUserRepository } from '../../functions/user/sql-user-repository';
import type { DomainEvent, NewDomainEvent } from '../../shared/domain/domain-event';
import type { UserRecord } from '../../shared/domain/user/user';
import type {
  NewRefreshTokenRecord,
  RefreshTokenStore,
  UserRepository,
} from '../../shared/domain/user/user-ports';
import { AppError } from '../../shared/errors/app-error';
import type { Outbox } from '../../shared/kit/outbox';
import { migrateServiceDatabase } from '../../shared/kit/service-schema';
import { appendToOutbox } from '../../shared/outbox/append-to-outbox';
import { outboxModel } from '../../shared/outbox/outbox-model';
import { memoryRefreshTokenStore } from '../support/memory/memory-refresh-token-store';
import { memoryUserRepository } from '../support/memory/memory-user-repository';
import { sqlFixture, type Dialect } from '../support/sql-fixture';
import { uniqueName } from '../support/unique-name';

/** The user service's stores on a fresh database, what they recorded in the outbox, and how to drop them. */
interface UserStores {
  readonly users: UserRepository;
  readonly refreshTokens: RefreshTokenStore;
  /** The events recorded about aggregate `subject`, in the order recorded. */
  readonly recorded: (subject: string) => Promise<DomainEvent[]>;
  readonly close: () => Promise<void>;
}

const T0 = Date.parse('2024-03-01T10:00:00.123Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);
const DAY = 24 * 60 * 60 * 1000;

const newUser = (overrides: Partial<UserRecord> = {}): UserRecord => ({
  id: randomUUID(),
  email: `${uniqueName('ada')}@Example.com`,
  name: 'Ada Lovelace',
  role: 'customer',
  passwordHash: 'hash:correct horse battery',
  createdAt: at(0),
  updatedAt: at(0),
  ...overrides,
});

const newToken = (userId: string, familyId: string = randomUUID()): NewRefreshTokenRecord => ({
  id: randomUUID(),
  userId,
  familyId,
  tokenHash: randomBytes(32).toString('hex'),
  expiresAt: at(30 * DAY),
});

/** The record the store answers for a token stored as `token` (rotatedAt/revokedAt only once set). */
const asRecord = (token: NewRefreshTokenRecord, changes: { rotatedAt?: Date; revokedAt?: Date } = {}) => ({
  id: token.id,
  userId: token.userId,
  familyId: token.familyId,
  expiresAt: token.expiresAt,
  ...changes,
});

const userEvent = (user: UserRecord, n: number): NewDomainEvent => ({
  id: randomUUID(),
  type: 'com.ecom.user.tested',
  source: '/ecom/user/test',
  subject: user.id,
  partitionKey: user.id,
  time: at(n),
  data: { userId: user.id, n },
});

/**
 * What the user service's use cases rely on from UserRepository and RefreshTokenStore, for any implementation: the
 * SQL adapters and the memory fakes the unit tests run on. Tests share one store per backend (each writes its own
 * users and tokens) except the list test, which needs an empty one.
 */
function userStoreContract(title: string, open: () => Promise<UserStores>): void {
  const opened: Promise<UserStores>[] = [];
  const fresh = () => {
    const stores = open();
    opened.push(stores);
    return stores;
  };
  let shared: Promise<UserStores> | undefined;
  const stores = () => (shared ??= fresh());
  test.after.always(`${title}: drop the databases`, async () => {
    await Promise.all(opened.map(async (stores) => (await stores).close()));
  });

  test(`${title}: a user reads back by id, and by e-mail whatever its case`, async (t) => {
    const { users } = await stores();
    const user = newUser({ email: `${uniqueName('Ada.Lovelace')}@Example.COM` });
    await users.insert(user, []);
    t.deepEqual(await users.findById(user.id), user);
    t.deepEqual(await users.findByEmail(user.email.toLowerCase()), user);
    t.deepEqual(await users.findByEmail(`  ${user.email.toUpperCase()} `), user);
  });

  test(`${title}: an unknown id or e-mail finds nobody`, async (t) => {
    const { users } = await stores();
    t.is(await users.findById(randomUUID()), undefined);
    t.is(await users.findByEmail(`${uniqueName('nobody')}@example.com`), undefined);
  });

  test(`${title}: insert records the events given with the user, in order`, async (t) => {
    const { users, recorded } = await stores();
    const user = newUser();
    const [first, second] = [userEvent(user, 1), userEvent(user, 2)];
    const unstamped = { ...userEvent(user, 3), id: undefined, time: undefined };
    await users.insert(user, [first, second, unstamped]);
    const events = await recorded(user.id);
    t.deepEqual(events.slice(0, 2), [first, second]);
    t.is(events.length, 3);
    const [, , third] = events;
    t.like(third, { type: 'com.ecom.user.tested', subject: user.id, data: { userId: user.id, n: 3 } });
    t.regex(third?.id ?? '', /^[0-9a-f-]{36}$/, 'the outbox gives an event without an id one');
    t.true(third?.time instanceof Date, 'and a time');
  });

  test(`${title}: a taken e-mail, in any case, is a conflict and keeps nothing of the second user`, async (t) => {
    const { users, recorded } = await stores();
    const first = newUser();
    await users.insert(first, [userEvent(first, 1)]);
    const second = newUser({ email: ` ${first.email.toUpperCase()}`, name: 'Somebody Else' });
    const error = await t.throwsAsync(users.insert(second, [userEvent(second, 1)]), { instanceOf: AppError });
    t.like(error, { kind: 'conflict', code: 'USER.EMAIL_TAKEN' });
    t.is(await users.findById(second.id), undefined);
    t.deepEqual(await recorded(second.id), [], 'no event of the refused user');
    t.deepEqual(await users.findByEmail(first.email), first);
    t.is((await recorded(first.id)).length, 1);
  });

  test(`${title}: update changes the fields given and updatedAt, and leaves the sessions`, async (t) => {
    const { users, refreshTokens } = await stores();
    const user = newUser();
    await users.insert(user, []);
    const token = newToken(user.id);
    await refreshTokens.insert(token);

    const renamed = { ...user, name: 'Ada King', updatedAt: at(5000) };
    t.deepEqual(await users.update(user.id, { name: 'Ada King' }, at(5000)), renamed);
    t.deepEqual(await users.findById(user.id), renamed);

    const promoted = { ...renamed, role: 'admin', passwordHash: 'hash:new', updatedAt: at(6000) } as const;
    t.deepEqual(await users.update(user.id, { role: 'admin', passwordHash: 'hash:new' }, at(6000)), promoted);
    t.deepEqual(await users.findById(user.id), promoted);
    t.deepEqual(await refreshTokens.findByHash(token.tokenHash), asRecord(token), 'no token revoked');
  });

  test(`${title}: update with revokeRefreshTokens revokes every live token of that user only`, async (t) => {
    const { users, refreshTokens } = await stores();
    const user = newUser();
    await users.insert(user, []);
    const rotated = newToken(user.id);
    const successor = newToken(user.id, rotated.familyId);
    const otherSession = newToken(user.id);
    const revokedEarlier = newToken(user.id);
    const someoneElses = newToken(randomUUID());
    for (const token of [rotated, otherSession, revokedEarlier, someoneElses])
      await refreshTokens.insert(token);
    t.true(await refreshTokens.rotate(rotated.id, successor, at(500)));
    await refreshTokens.revokeFamily(revokedEarlier.familyId, at(1000));

    const changed = await users.update(
      user.id,
      { passwordHash: 'hash:new', revokeRefreshTokens: true },
      at(2000),
    );
    t.deepEqual(changed, { ...user, passwordHash: 'hash:new', updatedAt: at(2000) });
    const find = (token: NewRefreshTokenRecord) => refreshTokens.findByHash(token.tokenHash);
    t.deepEqual(await find(rotated), asRecord(rotated, { rotatedAt: at(500), revokedAt: at(2000) }));
    t.deepEqual(await find(successor), asRecord(successor, { revokedAt: at(2000) }));
    t.deepEqual(await find(otherSession), asRecord(otherSession, { revokedAt: at(2000) }));
    t.deepEqual(await find(revokedEarlier), asRecord(revokedEarlier, { revokedAt: at(1000) }));
    t.deepEqual(await find(someoneElses), asRecord(someoneElses));
  });

  test(`${title}: update of an unknown user answers undefined and creates nobody`, async (t) => {
    const { users } = await stores();
    const id = randomUUID();
    t.is(await users.update(id, { name: 'Nobody' }, at(0)), undefined);
    t.is(await users.findById(id), undefined);
  });

  test(`${title}: list pages oldest first by creation time, then id, with the total`, async (t) => {
    const { users } = await fresh();
    const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    const [u1, u2, u3, u4, u5] = [
      newUser({ id: id(3), createdAt: at(0) }),
      newUser({ id: id(1), createdAt: at(1000), updatedAt: at(9000) }),
      newUser({ id: id(2), createdAt: at(1000) }),
      newUser({ id: id(4), createdAt: at(2000) }),
      newUser({ id: id(5), createdAt: at(-1000) }),
    ];
    for (const user of [u4, u3, u1, u5, u2]) await users.insert(user, []);
    t.deepEqual(await users.list(1, 2), { items: [u5, u1], total: 5 });
    t.deepEqual(await users.list(2, 2), { items: [u2, u3], total: 5 });
    t.deepEqual(await users.list(3, 2), { items: [u4], total: 5 });
    t.deepEqual(await users.list(4, 2), { items: [], total: 5 });
    t.deepEqual(await users.list(1, 100), { items: [u5, u1, u2, u3, u4], total: 5 });
  });

  test(`${title}: a refresh token reads back by its hash`, async (t) => {
    const { refreshTokens } = await stores();
    const token = newToken(randomUUID());
    await refreshTokens.insert(token);
    t.deepEqual(await refreshTokens.findByHash(token.tokenHash), asRecord(token));
    t.is(await refreshTokens.findByHash(randomBytes(32).toString('hex')), undefined);
  });

  test(`${title}: a second token with a stored hash is refused`, async (t) => {
    const { refreshTokens } = await stores();
    const token = newToken(randomUUID());
    await refreshTokens.insert(token);
    await t.throwsAsync(refreshTokens.insert({ ...newToken(randomUUID()), tokenHash: token.tokenHash }));
    t.deepEqual(await refreshTokens.findByHash(token.tokenHash), asRecord(token));
  });

  test(`${title}: rotate is a compare-and-set: a token rotates once`, async (t) => {
    const { refreshTokens } = await stores();
    const token = newToken(randomUUID());
    const [successor, second] = [
      newToken(token.userId, token.familyId),
      newToken(token.userId, token.familyId),
    ];
    await refreshTokens.insert(token);
    t.true(await refreshTokens.rotate(token.id, successor, at(100)));
    t.deepEqual(await refreshTokens.findByHash(token.tokenHash), asRecord(token, { rotatedAt: at(100) }));
    t.deepEqual(await refreshTokens.findByHash(successor.tokenHash), asRecord(successor));

    t.false(await refreshTokens.rotate(token.id, second, at(200)), 'the second rotation of the token loses');
    t.is(await refreshTokens.findByHash(second.tokenHash), undefined, 'and stores no successor');
    t.deepEqual(await refreshTokens.findByHash(token.tokenHash), asRecord(token, { rotatedAt: at(100) }));
  });

  test(`${title}: of two concurrent rotations of one token, exactly one wins`, async (t) => {
    const { refreshTokens } = await stores();
    const token = newToken(randomUUID());
    const [a, b] = [newToken(token.userId, token.familyId), newToken(token.userId, token.familyId)];
    await refreshTokens.insert(token);
    const outcomes = await Promise.all([
      refreshTokens.rotate(token.id, a, at(100)),
      refreshTokens.rotate(token.id, b, at(100)),
    ]);
    t.deepEqual([...outcomes].sort(), [false, true]);
    const stored = await Promise.all([a, b].map((next) => refreshTokens.findByHash(next.tokenHash)));
    t.deepEqual(
      stored.map((record) => record !== undefined),
      outcomes,
      'only the winner stored its successor',
    );
  });

  test(`${title}: a revoked or unknown token does not rotate`, async (t) => {
    const { refreshTokens } = await stores();
    const token = newToken(randomUUID());
    const successor = newToken(token.userId, token.familyId);
    await refreshTokens.insert(token);
    await refreshTokens.revokeFamily(token.familyId, at(100));
    t.false(await refreshTokens.rotate(token.id, successor, at(200)));
    t.false(await refreshTokens.rotate(randomUUID(), successor, at(200)));
    t.is(await refreshTokens.findByHash(successor.tokenHash), undefined);
    t.deepEqual(await refreshTokens.findByHash(token.tokenHash), asRecord(token, { revokedAt: at(100) }));
  });

  test(`${title}: revokeFamily revokes the live tokens of that family only`, async (t) => {
    const { refreshTokens } = await stores();
    const userId = randomUUID();
    const first = newToken(userId);
    const successor = newToken(userId, first.familyId);
    const otherFamily = newToken(userId);
    for (const token of [first, otherFamily]) await refreshTokens.insert(token);
    t.true(await refreshTokens.rotate(first.id, successor, at(100)));

    await refreshTokens.revokeFamily(first.familyId, at(300));
    const find = (token: NewRefreshTokenRecord) => refreshTokens.findByHash(token.tokenHash);
    t.deepEqual(await find(first), asRecord(first, { rotatedAt: at(100), revokedAt: at(300) }));
    t.deepEqual(await find(successor), asRecord(successor, { revokedAt: at(300) }));
    t.deepEqual(await find(otherFamily), asRecord(otherFamily));

    await refreshTokens.revokeFamily(first.familyId, at(400));
    t.deepEqual(
      await find(successor),
      asRecord(successor, { revokedAt: at(300) }),
      'a second revocation keeps the first time',
    );
  });

  test(`${title}: revokeUser revokes every live token of that user only`, async (t) => {
    const { refreshTokens } = await stores();
    const [ada, bob] = [randomUUID(), randomUUID()];
    const [phone, laptop, bobs] = [newToken(ada), newToken(ada), newToken(bob)];
    for (const token of [phone, laptop, bobs]) await refreshTokens.insert(token);
    await refreshTokens.revokeFamily(phone.familyId, at(100));
    await refreshTokens.revokeUser(ada, at(200));
    const find = (token: NewRefreshTokenRecord) => refreshTokens.findByHash(token.tokenHash);
    t.deepEqual(
      await find(phone),
      asRecord(phone, { revokedAt: at(100) }),
      'the first revocation time stays',
    );
    t.deepEqual(await find(laptop), asRecord(laptop, { revokedAt: at(200) }));
    t.deepEqual(await find(bobs), asRecord(bobs));
  });
}

userStoreContract('memory', () => {
  const refreshTokens = memoryRefreshTokenStore();
  const users = memoryUserRepository({ refreshTokens });
  return Promise.resolve({
    users,
    refreshTokens,
    recorded: (subject) => Promise.resolve(users.outbox.events.filter((event) => event.subject === subject)),
    close: () => Promise.resolve(),
  });
});

/** The SQL adapters on a fresh user service database, migrated by the kit, with the kit's outbox table. */
async function openSql(dialect: Dialect): Promise<UserStores> {
  const fixture = await sqlFixture(dialect, 'test_user_store');
  const { sequelize } = fixture;
  await migrateServiceDatabase(userService, fixture.target, sequelize);
  const outbox: Outbox = { append: (transaction, events) => appendToOutbox(sequelize, transaction, events) };
  const OutboxRow = outboxModel(sequelize);
  return {
    users: sqlUserRepository({ sequelize, outbox }),
    refreshTokens: sqlRefreshTokenStore(sequelize),
    async recorded(subject) {
      const rows = await OutboxRow.findAll({ where: { subject }, order: [['seq', 'ASC']] });
      return rows.map((row) => row.toEvent());
    },
    close: () => fixture.drop(),
  };
}

userStoreContract('sqlite', () => openSql('sqlite'));
userStoreContract('mariadb', () => openSql('mysql'));

/** The session check every user service route makes, on both SQL dialects. */
function sessionLookupContract(dialect: Dialect): void {
  test(`${dialect}: a session is live with its current role until revoked or expired; no one else's`, async (t) => {
    const fixture = await sqlFixture(dialect, 'test_session_lookup');
    t.teardown(() => fixture.drop());
    await migrateServiceDatabase(userService, fixture.target, fixture.sequelize);
    const outbox: Outbox = {
      append: (transaction, events) => appendToOutbox(fixture.sequelize, transaction, events),
    };
    const users = sqlUserRepository({ sequelize: fixture.sequelize, outbox });
    const refreshTokens = sqlRefreshTokenStore(fixture.sequelize);
    let now = at(0);
    const lookup = sqlSessionLookup(fixture.sequelize, () => now);
    const [ada, bob] = [newUser(), newUser()];
    for (const user of [ada, bob]) await users.insert(user, []);
    const session = newToken(ada.id); // expires at(30 days)
    const rotated = newToken(ada.id, session.familyId);
    await refreshTokens.insert(session);
    t.true(await refreshTokens.rotate(session.id, rotated, at(100)));
    const check = (userId: string, sessionId: string) =>
      lookup({
        principal: { userId, sessionId, role: 'customer', tokenId: randomUUID(), expiresAt: at(300_000) },
        authorization: 'Bearer x',
      });

    t.deepEqual(
      await check(ada.id, session.familyId),
      { role: 'customer' },
      'a rotated family is still live',
    );
    await users.update(ada.id, { role: 'admin' }, at(200));
    t.deepEqual(
      await check(ada.id, session.familyId),
      { role: 'admin' },
      'the role now, not the one at login',
    );
    t.is(await check(bob.id, session.familyId), undefined, "another user's session is not theirs");
    t.is(await check(ada.id, randomUUID()), undefined, 'an unknown session');
    now = new Date(rotated.expiresAt.getTime() + 1000); // MySQL compares the replaced time to the second
    t.is(await check(ada.id, session.familyId), undefined, 'expired');
    now = at(300);
    await refreshTokens.revokeFamily(session.familyId, at(300));
    t.is(await check(ada.id, session.familyId), undefined, 'revoked');
  });
}

sessionLookupContract('sqlite');
sessionLookupContract('mysql');
