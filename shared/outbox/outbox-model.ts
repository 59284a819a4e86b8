import { DataTypes, Model, type Sequelize } from 'sequelize';
import type { DomainEvent } from '../domain/domain-event';
import { OUTBOX_TABLE } from './outbox-migration';

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
      ...(this.traceparent ? { traceparent: this.traceparent } : {}),
    };
  }
}

/** The outbox model bound to one Sequelize instance (defined once per instance). */
export function outboxModel(sequelize: Sequelize): typeof OutboxRow {
  if (sequelize.models[OUTBOX_TABLE]) return sequelize.models[OUTBOX_TABLE] as typeof OutboxRow;
  // Sequelize's init needs a class per instance: a subclass keeps OutboxRow itself unbound.
  class BoundOutboxRow extends OutboxRow {}
  BoundOutboxRow.init(
    {
      seq: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      id: { type: DataTypes.STRING(64), allowNull: false },
      type: { type: DataTypes.STRING(200), allowNull: false },
      source: { type: DataTypes.STRING(200), allowNull: false },
      subject: { type: DataTypes.STRING(200), allowNull: false },
      partitionKey: { type: DataTypes.STRING(200), allowNull: false },
      time: { type: DataTypes.DATE(3), allowNull: false },
      data: { type: DataTypes.TEXT, allowNull: false },
      traceparent: { type: DataTypes.STRING(55), allowNull: true },
      publishedAt: { type: DataTypes.DATE(3), allowNull: true },
    },
    { sequelize, modelName: OUTBOX_TABLE, tableName: OUTBOX_TABLE, underscored: true, timestamps: false },
  );
  return BoundOutboxRow;
}
