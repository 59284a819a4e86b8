import test from 'ava';
import { RegisterInput, registerUser } from '../../../functions/user/register/use-case';
import { AppError } from '../../../shared/errors/app-error';
import { fakePasswords } from '../../support/memory/fake-passwords';
import { memoryUserRepository } from '../../support/memory/memory-user-repository';
import { testClock } from '../../support/memory/test-clock';

const ADMIN_EMAIL = 'admin@shop.test';
const PASSWORD = 'correct horse battery';

function setup() {
  const clock = testClock('2030-01-01T09:30:00.250Z');
  const users = memoryUserRepository();
  const passwords = fakePasswords();
  const deps = { users, hashPassword: passwords.hashPassword, now: clock.now, adminEmail: ADMIN_EMAIL };
  return { clock, users, passwords, deps };
}

/** The form as the handler hands it over: parsed (and so trimmed) by the route's schema. */
const form = (email: string, name = 'Ada Lovelace') =>
  RegisterInput.parse({ email, password: PASSWORD, name });

const emailTaken = { kind: 'conflict', code: 'USER.EMAIL_TAKEN' } as const;

test('creates a customer with the hashed password', async (t) => {
  const { users, passwords, deps, clock } = setup();
  const user = await registerUser(deps, form('Ada@Example.com'));
  t.regex(user.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.deepEqual(user, {
    id: user.id,
    email: 'Ada@Example.com',
    name: 'Ada Lovelace',
    role: 'customer',
    createdAt: clock.now(),
    updatedAt: clock.now(),
  });
  t.deepEqual([...users.users.values()], [{ ...user, passwordHash: `hash:${PASSWORD}` }]);
  t.deepEqual(passwords.hashed, [PASSWORD]);
});

test('records exactly one com.ecom.user.registered event with the new user', async (t) => {
  const { users, deps, clock } = setup();
  const user = await registerUser(deps, form('ada@example.com'));
  const [event] = users.outbox.events;
  t.deepEqual(users.outbox.events, [
    {
      id: event?.id ?? '',
      type: 'com.ecom.user.registered',
      source: '/ecom/user/register',
      subject: user.id,
      partitionKey: user.id,
      time: clock.now(),
      data: {
        userId: user.id,
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        registeredAt: '2030-01-01T09:30:00.250Z',
      },
    },
  ]);
});

test('refuses a taken e-mail whatever its case, before hashing, and records nothing', async (t) => {
  const { users, passwords, deps } = setup();
  await registerUser(deps, form('ada@example.com'));
  const error = await t.throwsAsync(registerUser(deps, form('  ADA@Example.COM ', 'Somebody Else')), {
    instanceOf: AppError,
  });
  t.like(error, emailTaken);
  t.is(users.users.size, 1);
  t.is(users.outbox.events.length, 1);
  t.deepEqual(passwords.hashed, [PASSWORD], 'no hash for the refused registration');
});

test("refuses the configured admin's address whatever its case, even before the admin account exists", async (t) => {
  const { users, passwords, deps } = setup();
  for (const email of [ADMIN_EMAIL, 'Admin@Shop.TEST', ' ADMIN@shop.test ']) {
    const error = await t.throwsAsync(registerUser(deps, form(email)), { instanceOf: AppError });
    t.like(error, emailTaken, email);
  }
  t.is(users.users.size, 0);
  t.deepEqual(users.outbox.events, []);
  t.deepEqual(passwords.hashed, []);
});

test('of two concurrent registrations of one e-mail, the unique key refuses the second', async (t) => {
  const { users, deps } = setup();
  const outcomes = await Promise.allSettled([
    registerUser(deps, form('ada@example.com')),
    registerUser(deps, form('Ada@Example.com')),
  ]);
  const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const lost = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
  );
  t.is(won.length, 1);
  t.is(lost.length, 1);
  t.like(lost[0], emailTaken);
  t.true(lost[0] instanceof AppError);
  t.deepEqual([...users.users.keys()], [won[0]?.id]);
  t.deepEqual(
    users.outbox.events.map((event) => event.subject),
    [won[0]?.id],
  );
});

test('refuses nothing else: addresses near a taken or the reserved one register', async (t) => {
  const { users, deps } = setup();
  await registerUser(deps, form('ada@example.com'));
  const others = [
    'ada@example.org',
    'ada2@example.com',
    'ada.lovelace@example.com',
    'superadmin@shop.test',
    'admin@shop.test.example',
    'admin@shop.tes',
    'admin+1@shop.test',
  ];
  for (const email of others) {
    const user = await registerUser(deps, form(email));
    t.like(user, { email, role: 'customer' });
  }
  t.is(users.users.size, 1 + others.length);
  t.deepEqual(
    users.outbox.events.map((event) => event.data['email']),
    ['ada@example.com', ...others],
  );
});
