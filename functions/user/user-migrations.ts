import { DataTypes } from 'sequelize';
import type { Migration } from '../../shared/sql/migrate';

const users: Migration = {
  name: '0010-users',
  async up({ queryInterface }) {
    await queryInterface.createTable('users', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      email: { type: DataTypes.STRING(254), allowNull: false },
      // Lower-cased e-mail: the unique key that makes addresses compare case-insensitively.
      email_key: { type: DataTypes.STRING(254), allowNull: false, unique: true },
      name: { type: DataTypes.STRING(100), allowNull: false },
      role: { type: DataTypes.STRING(20), allowNull: false },
      password_hash: { type: DataTypes.STRING(200), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    await queryInterface.addIndex('users', ['created_at', 'id'], { name: 'users_created' });
  },
};

const refreshTokens: Migration = {
  name: '0011-refresh-tokens',
  async up({ queryInterface }) {
    await queryInterface.createTable('refresh_tokens', {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: { type: DataTypes.STRING(36), allowNull: false },
      family_id: { type: DataTypes.STRING(36), allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      rotated_at: { type: DataTypes.DATE(3), allowNull: true },
      revoked_at: { type: DataTypes.DATE(3), allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    });
    await queryInterface.addIndex('refresh_tokens', ['family_id'], { name: 'refresh_tokens_family' });
    await queryInterface.addIndex('refresh_tokens', ['user_id'], { name: 'refresh_tokens_user' });
  },
};

// The ADMIN_PASSWORD that ADMIN_RESET_PASSWORD last applied to the configured admin, as an argon2 hash: a reset
// applies a configured password once, not at every start of every instance (see ensure-admin.ts).
const configuredAdminPasswords: Migration = {
  name: '0012-configured-admin-passwords',
  async up({ queryInterface }) {
    await queryInterface.createTable('configured_admin_passwords', {
      email_key: { type: DataTypes.STRING(254), primaryKey: true },
      password_hash: { type: DataTypes.STRING(200), allowNull: false },
      applied_at: { type: DataTypes.DATE(3), allowNull: false },
    });
  },
};

const passwordThrottle: Migration = {
  name: '0013-password-throttle',
  async up({ queryInterface }) {
    // One row per account (SHA-256 of its lower-cased e-mail) with recent failed password checks.
    await queryInterface.createTable('password_throttle', {
      account_key: { type: DataTypes.STRING(64), primaryKey: true },
      failures: { type: DataTypes.INTEGER, allowNull: false },
      last_failure_at: { type: DataTypes.DATE(3), allowNull: false },
      blocked_until: { type: DataTypes.DATE(3), allowNull: true },
    });
  },
};

const expiringRowsAge: Migration = {
  name: '0014-expiring-rows-age',
  async up({ queryInterface }) {
    // The rows by age: the outbox relay deletes long-expired refresh tokens and forgotten failures (service.ts).
    await queryInterface.addIndex('refresh_tokens', ['expires_at'], { name: 'refresh_tokens_expiry' });
    await queryInterface.addIndex('password_throttle', ['last_failure_at'], {
      name: 'password_throttle_age',
    });
  },
  async down({ queryInterface }) {
    await queryInterface.removeIndex('refresh_tokens', 'refresh_tokens_expiry');
    await queryInterface.removeIndex('password_throttle', 'password_throttle_age');
  },
};

/** The user service's own tables, in order (the kit adds the outbox and processed events before them). */
export const USER_MIGRATIONS: readonly Migration[] = [
  users,
  refreshTokens,
  configuredAdminPasswords,
  passwordThrottle,
  expiringRowsAge,
];
