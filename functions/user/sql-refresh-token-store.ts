import type { Sequelize } from 'sequelize';
import type { RefreshTokenRecord } from '../../shared/domain/user/refresh-rotation';
import type { RefreshTokenStore } from '../../shared/domain/user/user-ports';
import { inTransaction } from '../../shared/sql/in-transaction';
import { userModels, type RefreshTokenRow } from './user-models';

function toRecord(row: RefreshTokenRow): RefreshTokenRecord {
  return {
    id: row.id,
    userId: row.userId,
    familyId: row.familyId,
    expiresAt: row.expiresAt,
    ...(row.rotatedAt ? { rotatedAt: row.rotatedAt } : {}),
    ...(row.revokedAt ? { revokedAt: row.revokedAt } : {}),
  };
}

/** Refresh tokens on the user service's SQL database, by the SHA-256 of the token. */
export function sqlRefreshTokenStore(sequelize: Sequelize): RefreshTokenStore {
  const { RefreshToken } = userModels(sequelize);
  return {
    async findByHash(tokenHash) {
      const row = await RefreshToken.findOne({ where: { tokenHash } });
      return row ? toRecord(row) : undefined;
    },

    async insert(token) {
      await RefreshToken.create({ ...token, createdAt: new Date() });
    },

    async rotate(previousId, next, now) {
      return inTransaction(sequelize, async (transaction) => {
        // Conditional: of two requests presenting the same token at once, exactly one rotates it.
        const [changed] = await RefreshToken.update(
          { rotatedAt: now },
          { where: { id: previousId, rotatedAt: null, revokedAt: null }, transaction },
        );
        if (changed !== 1) return false;
        await RefreshToken.create({ ...next, createdAt: now }, { transaction });
        return true;
      });
    },

    async revokeFamily(familyId, now) {
      await RefreshToken.update({ revokedAt: now }, { where: { familyId, revokedAt: null } });
    },

    async revokeUser(userId, now) {
      await RefreshToken.update({ revokedAt: now }, { where: { userId, revokedAt: null } });
    },
  };
}
