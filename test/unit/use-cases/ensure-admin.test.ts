// ensureAdmin calls argon2 itself (it takes no hash/verify functions, unlike register and login), so this file
// pays for a few real hashes and verifications, about 10-20 ms each.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { ensureAdmin } from '../../../functions/user/ensure-admin';
import { hashPassword, verifyPassword } from '../../../shared/auth/password';
import type { Role } from '../../../shared/domain/user/roles';
import type { UserRecord } from '../../../shared/domain/user/user';
import type { UserRepository } from '../../../shared/domain/user/user-ports';
import { memoryRefreshTokenStore } from '../../support/memory/memory-refresh-token-store';
import { memoryUserRepository } from '../../support/memory/memory-user-repository';

const ADMIN = { email: 'admin@shop.test', password: 'admin-password-for-tests' } as const;
const CREATED = new Date('2029-06-01T00:00:00.000Z');
const NOW = new Date('2030-01-01T00:00:00.000Z');

// One hash of the configured password, shared by the tests that need an account that already has it.
let adminHash: Promise<string> | undefined;
const configuredHash = () => (adminHash ??= hashPassword(ADMIN.password));

function setup() {
  const refreshTokens = memoryRefreshTokenStore();
  const users = memoryUserRepository({ refreshTokens });
  const account = async (role: Role, passwordHash: string, email: string = ADMIN.email) => {
    const user: UserRecord = {
      id: randomUUID(),
      email,
      name: 'Grace Hopper',
      role,
      passwordHash,
      createdAt: CREATED,
      updatedAt: CREATED,
    };
    await users.insert(user, []);
    await refreshTokens.insert({
      id: randomUUID(),
      userId: user.id,
      familyId: randomUUID(),
      tokenHash: `${user.id}-session`,
      expiresAt: new Date('2030-02-01T00:00:00Z'),
    });
    return user;
  };
  const revokedAt = (user: UserRecord) => refreshTokens.tokens.get(`${user.id}-session`)?.revokedAt;
  return { users, account, revokedAt };
}

test('creates the admin when missing, with the configured password and no event', async (t) => {
  const { users } = setup();
  t.is(await ensureAdmin(users, ADMIN, NOW), 'created');
  const [admin] = users.users.values();
  t.deepEqual(
    [...users.users.values()],
    [
      {
        id: admin?.id ?? '',
        email: ADMIN.email,
        name: 'Administrator',
        role: 'admin',
        passwordHash: admin?.passwordHash ?? '',
        createdAt: NOW,
        updatedAt: NOW,
      },
    ],
  );
  t.true(await verifyPassword(admin?.passwordHash ?? '', ADMIN.password));
  t.deepEqual(users.outbox.events, [], 'the admin is no registration: no welcome');
});

test('leaves an admin with the configured password unchanged', async (t) => {
  const { users, account, revokedAt } = setup();
  const admin = await account('admin', await configuredHash());
  t.is(await ensureAdmin(users, ADMIN, NOW), 'unchanged');
  t.deepEqual([...users.users.values()], [admin]);
  t.is(revokedAt(admin), null);
});

test('finds the account whatever the case of its e-mail', async (t) => {
  const { users, account } = setup();
  const admin = await account('admin', await configuredHash(), 'Admin@Shop.TEST');
  t.is(await ensureAdmin(users, ADMIN, NOW), 'unchanged');
  t.deepEqual([...users.users.values()], [admin]);
});

test('promotes an account with the address that is not admin, keeping its sessions when the password matches', async (t) => {
  const { users, account, revokedAt } = setup();
  const customer = await account('customer', await configuredHash());
  t.is(await ensureAdmin(users, ADMIN, NOW), 'updated');
  t.deepEqual([...users.users.values()], [{ ...customer, role: 'admin', updatedAt: NOW }]);
  t.is(revokedAt(customer), null);
});

test('gives an admin with another password the configured one, and ends its sessions', async (t) => {
  const { users, account, revokedAt } = setup();
  const admin = await account('admin', await hashPassword('an older admin password'));
  t.is(await ensureAdmin(users, ADMIN, NOW), 'updated');
  const updated = users.users.get(admin.id);
  t.deepEqual(updated, { ...admin, passwordHash: updated?.passwordHash ?? '', updatedAt: NOW });
  t.true(await verifyPassword(updated?.passwordHash ?? '', ADMIN.password));
  t.deepEqual(revokedAt(admin), NOW);
});

test('an admin another instance creates between the read and the insert is checked, not an error', async (t) => {
  const { users } = setup();
  const othersAdmin: UserRecord = {
    id: randomUUID(),
    email: ADMIN.email,
    name: 'Administrator',
    role: 'admin',
    passwordHash: await configuredHash(),
    createdAt: CREATED,
    updatedAt: CREATED,
  };
  let reads = 0;
  // The first read misses, and the other instance's insert lands right after it.
  const racing: UserRepository = {
    ...users,
    async findByEmail(email) {
      const found = await users.findByEmail(email);
      if (++reads === 1) await users.insert(othersAdmin, []);
      return found;
    },
  };
  t.is(await ensureAdmin(racing, ADMIN, NOW), 'unchanged');
  t.deepEqual([...users.users.values()], [othersAdmin]);
  t.is(reads, 2, 'read again after the conflict');
});

test('two instances at once: one creates the admin, the other finds it', async (t) => {
  const { users } = setup();
  const outcomes = await Promise.all([ensureAdmin(users, ADMIN, NOW), ensureAdmin(users, ADMIN, NOW)]);
  t.deepEqual([...outcomes].sort(), ['created', 'unchanged']);
  t.is(users.users.size, 1);
});
