import { UniqueConstraintError } from 'sequelize';
import { AppError } from '../../shared/errors/app-error';
import { emailKey, type UserRecord } from '../../shared/domain/user/user';
import type { UserChanges, UserRepository } from '../../shared/domain/user/user-ports';
import type { ServiceDatabase } from '../../shared/kit/service-stores';
import { inTransaction } from '../../shared/sql/in-transaction';
import { userModels, type UserRow } from './user-models';

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    passwordHash: row.passwordHash,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The user store on the service's SQL database; a new user's events go to its outbox in the same transaction. */
export function sqlUserRepository({ sequelize, outbox }: ServiceDatabase): UserRepository {
  const { User, RefreshToken } = userModels(sequelize);
  return {
    async findByEmail(email) {
      const row = await User.findOne({ where: { emailKey: emailKey(email) } });
      return row ? toRecord(row) : undefined;
    },

    async findById(id) {
      const row = await User.findByPk(id);
      return row ? toRecord(row) : undefined;
    },

    async insert(user, events) {
      try {
        await inTransaction(sequelize, async (transaction) => {
          await User.create({ ...user, emailKey: emailKey(user.email) }, { transaction });
          await outbox.append(transaction, events);
        });
      } catch (error) {
        if (error instanceof UniqueConstraintError) {
          throw new AppError('conflict', 'USER.EMAIL_TAKEN', 'An account with this e-mail already exists.');
        }
        throw error;
      }
    },

    async update(id, changes: UserChanges, now) {
      return inTransaction(sequelize, async (transaction) => {
        const row = await User.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
        if (!row) return undefined;
        if (changes.name !== undefined) row.name = changes.name;
        if (changes.passwordHash !== undefined) row.passwordHash = changes.passwordHash;
        if (changes.role !== undefined) row.role = changes.role;
        row.updatedAt = now;
        await row.save({ transaction });
        if (changes.revokeRefreshTokens) {
          await RefreshToken.update(
            { revokedAt: now },
            { where: { userId: id, revokedAt: null }, transaction },
          );
        }
        return toRecord(row);
      });
    },

    async list(page, pageSize) {
      const { rows, count } = await User.findAndCountAll({
        order: [
          ['createdAt', 'ASC'],
          ['id', 'ASC'],
        ],
        offset: (page - 1) * pageSize,
        limit: pageSize,
      });
      return { items: rows.map(toRecord), total: count };
    },
  };
}
