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

/**
 * The records by age: the service's outbox relay deletes those older than the broker keeps events (kit/retention.ts),
 * a range of this index rather than a scan of the table.
 */
export const processedEventsAgeMigration: Migration = {
  name: '0004-processed-events-age',
  async up({ queryInterface }) {
    await queryInterface.addIndex(PROCESSED_EVENTS_TABLE, ['processed_at'], { name: 'processed_events_age' });
  },
  async down({ queryInterface }) {
    await queryInterface.removeIndex(PROCESSED_EVENTS_TABLE, 'processed_events_age');
  },
};

/** The processed events' migrations, in order. */
export const processedEventsMigrations: readonly Migration[] = [
  processedEventsMigration,
  processedEventsAgeMigration,
];
