import { UniqueConstraintError, type Sequelize } from 'sequelize';
import {
  reserveCheck,
  type CheckReservation,
  type PasswordThrottleStore,
  type ThrottleState,
} from '../../shared/domain/user/password-throttle';
import { inOneStatement, inTransaction } from '../../shared/sql/in-transaction';
import { userModels, type PasswordThrottleRow } from './user-models';

/** A row's state; a row with no failure (left by an older version of this store) is no state. */
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

    async reserveCheck(accountKey, now) {
      // An account with no row (most sign-ins) is reserved by inserting it with its first count: one statement, and
      // of checks asked at once only one inserts. The others, and an account with a row, count under the row's
      // lock, in a transaction of its own (inside it, InnoDB's shared lock on the duplicate key would deadlock
      // with the FOR UPDATE). A sign-in that clears the row in between is answered by trying again.
      for (;;) {
        const first = reserveCheck(undefined, now);
        try {
          // A deadlock victim when sign-ins of one account race a clear (InnoDB's shared lock on the duplicate key
          // meets the DELETE's): run again, as any single write is (inOneStatement).
          await inOneStatement(sequelize, () => Throttle.create({ accountKey, ...first.state }));
          return first;
        } catch (error) {
          if (!(error instanceof UniqueConstraintError)) throw error;
        }
        const reserved = await inTransaction(
          sequelize,
          async (transaction): Promise<CheckReservation | undefined> => {
            const row = await Throttle.findByPk(accountKey, { transaction, lock: transaction.LOCK.UPDATE });
            if (!row) return undefined;
            const reservation = reserveCheck(stateOf(row), now);
            if (reservation.admitted)
              await Throttle.update(reservation.state, { where: { accountKey }, transaction });
            return reservation;
          },
        );
        if (reserved) return reserved;
      }
    },

    async clear(accountKey) {
      await inOneStatement(sequelize, () => Throttle.destroy({ where: { accountKey } }));
    },
  };
}
