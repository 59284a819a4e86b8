import { randomUUID } from 'node:crypto';
import test from 'ava';
import { userService } from '../../functions/user/service';
import { sqlPasswordThrottleStore } from '../../functions/user/sql-password-throttle-store';
import {
  afterFailure,
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

  test(`${title}: failures count per account by the domain's rule, and clear forgets them`, async (t) => {
    const throttle = await store();
    const [ada, bob] = [randomUUID(), randomUUID()];
    t.is(await throttle.find(ada), undefined);
    let expected: ThrottleState | undefined;
    for (let i = 0; i <= FREE_FAILURES + 1; i++) {
      expected = afterFailure(expected, at(i));
      t.deepEqual(await throttle.recordFailure(ada, at(i)), expected);
      t.deepEqual(await throttle.find(ada), expected);
    }
    t.truthy(expected?.blockedUntil, 'past the free failures, the account waits');
    t.is(await throttle.find(bob), undefined, "another account's count is its own");
    await throttle.clear(ada);
    t.is(await throttle.find(ada), undefined);
    await t.notThrowsAsync(throttle.clear(ada), 'clearing twice is fine');
  });

  test(`${title}: failures at once from several instances are each counted`, async (t) => {
    const throttle = await store();
    const account = randomUUID();
    const count = 12;
    await Promise.all(Array.from({ length: count }, () => throttle.recordFailure(account, at(0))));
    t.like(await throttle.find(account), { failures: count });
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
