import { UniqueConstraintError } from 'sequelize';
import { emailKey } from '../../shared/domain/user/user';
import type { ServiceDatabase } from '../../shared/kit/service-stores';
import { inTransaction } from '../../shared/sql/in-transaction';
import type { ConfiguredAdminStore } from './ensure-admin';
import { userModels } from './user-models';

/** The configured admin on the user database: its account in `users`, its applied password beside it. */
export function sqlConfiguredAdminStore({ sequelize }: ServiceDatabase): ConfiguredAdminStore {
  const { User, RefreshToken, ConfiguredAdminPassword } = userModels(sequelize);
  return {
    async exists(email) {
      return (await User.count({ where: { emailKey: emailKey(email) } })) > 0;
    },

    async create(admin, resetApplied) {
      const key = emailKey(admin.email);
      try {
        await inTransaction(sequelize, async (transaction) => {
          await User.create({ ...admin, emailKey: key }, { transaction });
          if (!resetApplied) return;
          const applied = { emailKey: key, passwordHash: admin.passwordHash, appliedAt: admin.createdAt };
          // upsert: a record left by a deleted account of this e-mail is replaced.
          await ConfiguredAdminPassword.upsert(applied, { transaction });
        });
        return true;
      } catch (error) {
        if (error instanceof UniqueConstraintError) return false;
        throw error;
      }
    },

    async resetPassword(email, newHash, now) {
      const key = emailKey(email);
      return inTransaction(sequelize, async (transaction) => {
        // The account's row is the lock every instance queues on: the applied record is then read and written by
        // one of them at a time (read with FOR UPDATE too, so it is the latest committed one, not a snapshot).
        const user = await User.findOne({
          where: { emailKey: key },
          transaction,
          lock: transaction.LOCK.UPDATE,
        });
        if (!user) return false;
        const applied = await ConfiguredAdminPassword.findByPk(key, {
          transaction,
          lock: transaction.LOCK.UPDATE,
        });
        // One argon2 verification (and a hash when resetting) under the lock: only starts with the flag pay it.
        const passwordHash = await newHash(applied?.passwordHash);
        if (passwordHash === undefined) return false;
        user.passwordHash = passwordHash;
        // The reset is how a locked-out operator gets an admin back, so it restores the role too.
        user.role = 'admin';
        user.updatedAt = now;
        await user.save({ transaction });
        await RefreshToken.update(
          { revokedAt: now },
          { where: { userId: user.id, revokedAt: null }, transaction },
        );
        await ConfiguredAdminPassword.upsert(
          { emailKey: key, passwordHash, appliedAt: now },
          { transaction },
        );
        return true;
      });
    },
  };
}
