import { randomUUID } from 'node:crypto';
import test from 'ava';
import { userService } from '../../functions/user/service';
import { sqlPasswordThrottleStore } from '../../functions/user/sql-password-throttle-store';
import {
  afterFailure,
  FIRST_DELAY_MS,
  FREE_FAILURES,
  type PasswordThrottleStore,
  type ThrottleState,
} from '../../shared/domain/user/password-throttle';
import { migrateServiceDatabase } from '../../shared/kit/service-schema';
import { memoryPasswordThrottleStore } from '../support/memory/memory-password-throttle-store';
import { DIALECTS, sqlFixture } from '../support/sql-fixture';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);

/** What every password throttle store promises: the domain's rule applied, per account, and atomically. */
function throttleStoreContract(
  title: string,
  open: () => Promise<{ store: PasswordThrottleStore; close: () => Promise<void> }>,
): void {
  let opened: ReturnType<typeof open> | undefined;
  const store = async () => (await (opened ??= open())).store;
  test.after.always(async () => {
    if (opened) await (await opened).close();
  });

  test(`${title}: checks are reserved per account by the domain's rule, refused while waiting, and clear forgets them`, async (t) => {
    const throttle = await store();
    const [ada, bob] = [randomUUID(), randomUUID()];
    t.is(await throttle.find(ada), undefined);
    let expected: ThrottleState | undefined;
    for (let i = 0; i <= FREE_FAILURES; i++) {
      expected = afterFailure(expected, at(i));
      t.deepEqual(await throttle.reserveCheck(ada, at(i)), { admitted: true, state: expected });
      t.deepEqual(await throttle.find(ada), expected);
    }
    t.deepEqual(expected?.blockedUntil, new Date(at(FREE_FAILURES).getTime() + FIRST_DELAY_MS));
    t.deepEqual(
      await throttle.reserveCheck(ada, at(FREE_FAILURES)),
      { admitted: false, state: expected },
      'while the account waits, a check is refused and not counted',
    );
    t.deepEqual(await throttle.find(ada), expected);
    const afterWait = new Date(at(FREE_FAILURES).getTime() + FIRST_DELAY_MS);
    t.deepEqual(await throttle.reserveCheck(ada, afterWait), {
      admitted: true,
      state: afterFailure(expected, afterWait),
    });
    t.is(await throttle.find(bob), undefined, "another account's count is its own");
    await throttle.clear(ada);
    t.is(await throttle.find(ada), undefined);
    await t.notThrowsAsync(throttle.clear(ada), 'clearing twice is fine');
    t.deepEqual(await throttle.reserveCheck(ada, at(100)), {
      admitted: true,
      state: afterFailure(undefined, at(100)),
    });
  });

  test(`${title}: of 30 checks at once on a fresh account only the free ones and the one that starts the wait are admitted`, async (t) => {
    const throttle = await store();
    const account = randomUUID();
    const reservations = await Promise.all(
      Array.from({ length: 30 }, () => throttle.reserveCheck(account, at(0))),
    );
    const admitted = reservations.filter((reservation) => reservation.admitted);
    t.is(admitted.length, FREE_FAILURES + 1);
    t.deepEqual(
      admitted.map((reservation) => reservation.state.failures).sort((a, b) => a - b),
      Array.from({ length: FREE_FAILURES + 1 }, (_, i) => i + 1),
      'each admitted check saw the ones before it',
    );
    for (const refused of reservations.filter((reservation) => !reservation.admitted)) {
      t.like(refused.state, {
        failures: FREE_FAILURES + 1,
        blockedUntil: new Date(at(0).getTime() + FIRST_DELAY_MS),
      });
    }
    t.like(await throttle.find(account), { failures: FREE_FAILURES + 1 });
  });

  test(`${title}: when a wait is over, of 12 checks at once exactly one is admitted`, async (t) => {
    const throttle = await store();
    const account = randomUUID();
    for (let i = 0; i <= FREE_FAILURES; i++) await throttle.reserveCheck(account, at(0));
    const over = new Date(at(0).getTime() + FIRST_DELAY_MS);
    const reservations = await Promise.all(
      Array.from({ length: 12 }, () => throttle.reserveCheck(account, over)),
    );
    t.is(reservations.filter((reservation) => reservation.admitted).length, 1);
    t.like(await throttle.find(account), { failures: FREE_FAILURES + 2, lastFailureAt: over });
  });

  test(`${title}: sign-ins of one account at once, each reserving a check and clearing it (a success), are each answered`, async (t) => {
    const throttle = await store();
    // Eight at once, twenty times over: on InnoDB a reserving INSERT and a clearing DELETE of one account deadlock
    // one another often enough that a lost victim (a 503 for a right password) shows here. Some of the eight may be
    // refused by the rule (the checks count before they are cleared); none may fail.
    for (let round = 0; round < 20; round++) {
      const account = randomUUID();
      const signIns = Array.from({ length: 8 }, async () => {
        const reservation = await throttle.reserveCheck(account, at(round));
        if (reservation.admitted) await throttle.clear(account);
        return reservation.admitted;
      });
      const admitted = await Promise.all(signIns);
      t.true(admitted.filter(Boolean).length >= FREE_FAILURES, `round ${String(round)}: ${String(admitted)}`);
    }
  });

  test(`${title}: checks racing a clear (a success) are each answered`, async (t) => {
    const throttle = await store();
    const account = randomUUID();
    await throttle.reserveCheck(account, at(0));
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, () => throttle.reserveCheck(account, at(1))),
      throttle.clear(account),
      ...Array.from({ length: 6 }, () => throttle.reserveCheck(account, at(1))),
    ]);
    const admitted = answers.filter((answer) => answer?.admitted === true).length;
    // Five fill the free failures with the one before; a clear among them lets up to six more in.
    t.true(
      admitted >= FREE_FAILURES && admitted <= 2 * (FREE_FAILURES + 1) - 1,
      `admitted ${String(admitted)}`,
    );
  });
}

throttleStoreContract('memory', () =>
  Promise.resolve({ store: memoryPasswordThrottleStore(), close: () => Promise.resolve() }),
);
for (const dialect of DIALECTS) {
  throttleStoreContract(dialect, async () => {
    const fixture = await sqlFixture(dialect, 'test_throttle');
    await migrateServiceDatabase(userService, fixture.target, fixture.sequelize);
    return { store: sqlPasswordThrottleStore(fixture.sequelize), close: () => fixture.drop() };
  });
}
