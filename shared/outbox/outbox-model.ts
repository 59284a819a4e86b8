import { DataTypes, Model, type Sequelize } from 'sequelize';
import type { DomainEvent } from '../domain/domain-event';
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
    return {
      id: this.id,
      type: this.type,
      source: this.source,
      subject: this.subject,
      partitionKey: this.partitionKey,
      time: this.time,
      data: JSON.parse(this.data) as Record<string, unknown>,
      // A tracestate means something only beside its traceparent.
      ...(this.traceparent ? { traceparent: this.traceparent } : {}),
      ...(this.traceparent && this.tracestate ? { tracestate: this.tracestate } : {}),
    };
  }
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
