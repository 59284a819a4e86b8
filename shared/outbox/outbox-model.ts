import { DataTypes, Model, type Sequelize } from 'sequelize';
import type { DomainEvent } from '../domain/domain-event';
import type { Columns } from '../sql/insert-rows';
import { OUTBOX_TABLE, TRACEPARENT_MAX_LENGTH, TRACESTATE_MAX_LENGTH } from './outbox-migration';

/** A row of the outbox table. */
export class OutboxRow extends Model {
  declare seq: number;
  declare id: string;
  declare type: string;
  declare source: string;
  declare subject: string;
  declare partitionKey: string;
  declare time: Date;
  declare data: string;
  declare traceparent: string | null;
  declare tracestate: string | null;
  declare publishedAt: Date | null;

  /** The event this row stores. */
  toEvent(): DomainEvent {
    return storedEvent(this);
  }
}

/** The columns of an outbox row that make its event, as a model instance or a raw read gives them. */
export interface StoredEventColumns {
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly subject: string;
  readonly partitionKey: string;
  /** A raw read on SQLite gives the stored text. */
  readonly time: Date | string;
  readonly data: string;
  readonly traceparent: string | null;
  readonly tracestate: string | null;
}

/** Each of them and its column. */
export const EVENT_COLUMNS: Columns<StoredEventColumns> = {
  id: 'id',
  type: 'type',
  source: 'source',
  subject: 'subject',
  partitionKey: 'partition_key',
  time: 'time',
  data: 'data',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
};

/** The event an outbox row stores. */
export function storedEvent(row: StoredEventColumns): DomainEvent {
  return {
    id: row.id,
    type: row.type,
    source: row.source,
    subject: row.subject,
    partitionKey: row.partitionKey,
    time: new Date(row.time),
    data: JSON.parse(row.data) as Record<string, unknown>,
    // A tracestate means something only beside its traceparent.
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
    ...(row.traceparent && row.tracestate ? { tracestate: row.tracestate } : {}),
  };
}

/** The outbox model bound to one Sequelize instance (defined once per instance). */
export function outboxModel(sequelize: Sequelize): typeof OutboxRow {
  if (sequelize.models[OUTBOX_TABLE]) return sequelize.models[OUTBOX_TABLE] as typeof OutboxRow;
  // Sequelize's init needs a class per instance: a subclass keeps OutboxRow itself unbound. The columns' rules
  // (NOT NULL, the auto-increment) are the migration's (outbox-migration.ts); the model maps names and types, and
  // knows `seq` is generated so that a created row reads it back.
  class BoundOutboxRow extends OutboxRow {}
  BoundOutboxRow.init(
    {
      seq: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      id: DataTypes.STRING(64),
      type: DataTypes.STRING(200),
      source: DataTypes.STRING(200),
      subject: DataTypes.STRING(200),
      partitionKey: DataTypes.STRING(200),
      time: DataTypes.DATE(3),
      data: DataTypes.TEXT,
      traceparent: DataTypes.STRING(TRACEPARENT_MAX_LENGTH),
      tracestate: DataTypes.STRING(TRACESTATE_MAX_LENGTH),
      publishedAt: DataTypes.DATE(3),
    },
    { sequelize, modelName: OUTBOX_TABLE, tableName: OUTBOX_TABLE, underscored: true, timestamps: false },
  );
  return BoundOutboxRow;
}
