import { DataTypes } from 'sequelize';
import type { Migration } from '../sql/migrate';

export const OUTBOX_TABLE = 'outbox_events';

/** The longest `traceparent` the outbox stores: a version-00 W3C traceparent, the one version there is. */
export const TRACEPARENT_MAX_LENGTH = 55;

/**
 * The longest `tracestate` the outbox stores. W3C Trace Context asks vendors to propagate at least 512 characters of
 * the combined header (32 list-members at most) and lets them cut a longer one; OpenTelemetry's TraceState holds no
 * more (parsing keeps the members that fit in 512 characters, adding one refuses to pass it), so every tracestate the
 * propagator stamps on an event fits, and a consumer's would cut a longer one anyway.
 */
export const TRACESTATE_MAX_LENGTH = 512;

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

/**
 * The W3C `tracestate` beside each row's `traceparent`, so that an event the relay re-publishes from its row carries
 * its whole trace context, as the publish at commit does (the CloudEvents distributed-tracing extension).
 */
export const outboxTracestateMigration: Migration = {
  name: '0003-outbox-tracestate',
  async up({ queryInterface }) {
    await queryInterface.addColumn(OUTBOX_TABLE, 'tracestate', {
      type: DataTypes.STRING(TRACESTATE_MAX_LENGTH),
      allowNull: true,
    });
  },
  async down({ sequelize }) {
    // Plain DROP COLUMN (MariaDB, SQLite 3.35+): sequelize's SQLite removeColumn rebuilds the table instead.
    await sequelize.query(`ALTER TABLE ${OUTBOX_TABLE} DROP COLUMN tracestate`);
  },
};

/** The outbox's migrations, in order: what a service database (or a test's) migrates for its outbox. */
export const outboxMigrations: readonly Migration[] = [outboxMigration, outboxTracestateMigration];
