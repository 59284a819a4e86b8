import type { Sequelize } from 'sequelize';
import {
  afterFailure,
  type PasswordThrottleStore,
  type ThrottleState,
} from '../../shared/domain/user/password-throttle';
import { inTransaction } from '../../shared/sql/in-transaction';
import { userModels, type PasswordThrottleRow } from './user-models';

/** A row's state; a row with no failure yet (made ready by a failure still counting) is no state. */
const stateOf = (row: PasswordThrottleRow | null): ThrottleState | undefined =>
  row === null || row.failures === 0
    ? undefined
    : { failures: row.failures, lastFailureAt: row.lastFailureAt, blockedUntil: row.blockedUntil };

/** The password throttle on the user service's SQL database: one row per account that failed lately. */
export function sqlPasswordThrottleStore(sequelize: Sequelize): PasswordThrottleStore {
  const { PasswordThrottle: Throttle } = userModels(sequelize);
  return {
    async find(accountKey) {
      return stateOf(await Throttle.findByPk(accountKey));
    },

    async recordFailure(accountKey, now) {
      // The row is made to exist first, in a statement of its own (inside the transaction, InnoDB's shared lock
      // on the duplicate key would deadlock with the FOR UPDATE below); then each failure counts under the row's
      // lock. A sign-in that clears the row in between is answered by trying again.
      for (;;) {
        await Throttle.bulkCreate([{ accountKey, failures: 0, lastFailureAt: now, blockedUntil: null }], {
          ignoreDuplicates: true,
        });
        const counted = await inTransaction(sequelize, async (transaction) => {
          const row = await Throttle.findByPk(accountKey, { transaction, lock: transaction.LOCK.UPDATE });
          if (!row) return undefined;
          const next = afterFailure(stateOf(row), now);
          await Throttle.update(next, { where: { accountKey }, transaction });
          return next;
        });
        if (counted) return counted;
      }
    },

    async clear(accountKey) {
      await Throttle.destroy({ where: { accountKey } });
    },
  };
}
