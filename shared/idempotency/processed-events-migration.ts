import { DataTypes } from 'sequelize';
import type { Migration } from '../sql/migrate';

export const PROCESSED_EVENTS_TABLE = 'processed_events';

/** Which consumer has already applied which event: the key of idempotent consumption. */
export const processedEventsMigration: Migration = {
  name: '0002-processed-events',
  async up({ queryInterface }) {
    await queryInterface.createTable(PROCESSED_EVENTS_TABLE, {
      consumer: { type: DataTypes.STRING(100), primaryKey: true },
      event_id: { type: DataTypes.STRING(64), primaryKey: true },
      processed_at: { type: DataTypes.DATE(3), allowNull: false },
    });
  },
  async down({ queryInterface }) {
    await queryInterface.dropTable(PROCESSED_EVENTS_TABLE);
  },
};
