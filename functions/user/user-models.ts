import { DataTypes, Model, type Sequelize } from 'sequelize';
import type { Role } from '../../shared/domain/user/roles';

export class UserRow extends Model {
  declare id: string;
  declare email: string;
  declare emailKey: string;
  declare name: string;
  declare role: Role;
  declare passwordHash: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export class RefreshTokenRow extends Model {
  declare id: string;
  declare userId: string;
  declare familyId: string;
  declare tokenHash: string;
  declare expiresAt: Date;
  declare rotatedAt: Date | null;
  declare revokedAt: Date | null;
  declare createdAt: Date;
}

export class ConfiguredAdminPasswordRow extends Model {
  declare emailKey: string;
  declare passwordHash: string;
  declare appliedAt: Date;
}

export class PasswordThrottleRow extends Model {
  declare accountKey: string;
  declare failures: number;
  declare lastFailureAt: Date;
  declare blockedUntil: Date | null;
}

export interface UserModels {
  readonly User: typeof UserRow;
  readonly RefreshToken: typeof RefreshTokenRow;
  readonly ConfiguredAdminPassword: typeof ConfiguredAdminPasswordRow;
  readonly PasswordThrottle: typeof PasswordThrottleRow;
}

const bound = new WeakMap<Sequelize, UserModels>();

/** The user service's models bound to one Sequelize instance (a model class binds to exactly one). */
export function userModels(sequelize: Sequelize): UserModels {
  const existing = bound.get(sequelize);
  if (existing) return existing;
  const options = { sequelize, underscored: true, timestamps: false } as const;
  const User = class extends UserRow {}.init(
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      email: DataTypes.STRING(254),
      emailKey: DataTypes.STRING(254),
      name: DataTypes.STRING(100),
      role: DataTypes.STRING(20),
      passwordHash: DataTypes.STRING(200),
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { ...options, modelName: 'users', tableName: 'users' },
  );
  const RefreshToken = class extends RefreshTokenRow {}.init(
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      userId: DataTypes.STRING(36),
      familyId: DataTypes.STRING(36),
      tokenHash: DataTypes.STRING(64),
      expiresAt: DataTypes.DATE(3),
      rotatedAt: DataTypes.DATE(3),
      revokedAt: DataTypes.DATE(3),
      createdAt: DataTypes.DATE(3),
    },
    { ...options, modelName: 'refresh_tokens', tableName: 'refresh_tokens' },
  );
  const ConfiguredAdminPassword = class extends ConfiguredAdminPasswordRow {}.init(
    {
      emailKey: { type: DataTypes.STRING(254), primaryKey: true },
      passwordHash: DataTypes.STRING(200),
      appliedAt: DataTypes.DATE(3),
    },
    { ...options, modelName: 'configured_admin_passwords', tableName: 'configured_admin_passwords' },
  );
  const PasswordThrottle = class extends PasswordThrottleRow {}.init(
    {
      accountKey: { type: DataTypes.STRING(64), primaryKey: true },
      failures: DataTypes.INTEGER,
      lastFailureAt: DataTypes.DATE(3),
      blockedUntil: DataTypes.DATE(3),
    },
    { ...options, modelName: 'password_throttle', tableName: 'password_throttle' },
  );
  const models = { User, RefreshToken, ConfiguredAdminPassword, PasswordThrottle };
  bound.set(sequelize, models);
  return models;
}
