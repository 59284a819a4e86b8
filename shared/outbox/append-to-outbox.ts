import { randomUUID } from 'node:crypto';
import type { Sequelize, Transaction } from 'sequelize';
import type { DomainEvent, NewDomainEvent } from '../domain/domain-event';
import { outboxModel } from './outbox-model';

/**
 * Records events in the caller's transaction: they exist exactly when the state change they describe was
 * committed. Returns the stored events (with their ids), in the order given.
 */
export async function appendToOutbox(
  sequelize: Sequelize,
  transaction: Transaction,
  events: readonly NewDomainEvent[],
): Promise<DomainEvent[]> {
  return (await appendOutboxRows(sequelize, transaction, events)).events;
}

/** Events as the outbox stored them, with their places in the publication order. */
export interface AppendedEvents {
  readonly events: DomainEvent[];
  /** Each event's `seq`, in the same order. */
  readonly seqs: number[];
}

/** appendToOutbox, also answering where each event stands in the publication order (publishCommitted needs it). */
export async function appendOutboxRows(
  sequelize: Sequelize,
  transaction: Transaction,
  events: readonly NewDomainEvent[],
): Promise<AppendedEvents> {
  const stored: DomainEvent[] = events.map((event) => ({
    ...event,
    id: event.id ?? randomUUID(),
    time: event.time ?? new Date(),
  }));
  // One insert per event, in order: bulkCreate would work too, but the auto-increment order of a multi-row
  // insert is an InnoDB setting (innodb_autoinc_lock_mode), and the publication order must not depend on it.
  const Outbox = outboxModel(sequelize);
  const seqs: number[] = [];
  for (const event of stored) {
    const row = await Outbox.create(
      {
        id: event.id,
        type: event.type,
        source: event.source,
        subject: event.subject,
        partitionKey: event.partitionKey,
        time: event.time,
        data: JSON.stringify(event.data),
        // Only the traceparent is stored (no column for tracestate yet): an event the relay re-publishes from its
        // row carries its trace but not the trace's tracestate; the publish at commit sends both.
        traceparent: event.traceparent ?? null,
      },
      { transaction },
    );
    seqs.push(row.seq);
  }
  return { events: stored, seqs };
}
