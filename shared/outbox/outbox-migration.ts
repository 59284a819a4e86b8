import { DataTypes } from 'sequelize';
import type { Migration } from '../sql/migrate';

export const OUTBOX_TABLE = 'outbox_events';

/**
 * The transactional outbox: events are inserted in the same transaction as the state change they describe,
 * and a relay publishes them afterwards. `seq` gives the publication order.
 */
export const outboxMigration: Migration = {
  name: '0001-outbox-events',
  async up({ queryInterface, sequelize }) {
    // MEDIUMTEXT on MySQL (TEXT stops at 64 KB); SQLite has one TEXT type and warns about sizes.
    const text = sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT;
    await queryInterface.createTable(OUTBOX_TABLE, {
      seq: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      id: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      type: { type: DataTypes.STRING(200), allowNull: false },
      source: { type: DataTypes.STRING(200), allowNull: false },
      subject: { type: DataTypes.STRING(200), allowNull: false },
      partition_key: { type: DataTypes.STRING(200), allowNull: false },
      time: { type: DataTypes.DATE(3), allowNull: false },
      data: { type: text, allowNull: false },
      traceparent: { type: DataTypes.STRING(55), allowNull: true },
      published_at: { type: DataTypes.DATE(3), allowNull: true },
    });
    // The relay's scan: unpublished rows in seq order.
    await queryInterface.addIndex(OUTBOX_TABLE, ['published_at', 'seq'], { name: 'outbox_events_pending' });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable(OUTBOX_TABLE);
  },
};
