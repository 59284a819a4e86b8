import { randomUUID } from 'node:crypto';
import type { Sequelize, Transaction } from 'sequelize';
import type { DomainEvent, NewDomainEvent } from '../domain/domain-event';
import { TRACEPARENT_MAX_LENGTH, TRACESTATE_MAX_LENGTH } from './outbox-migration';
import { outboxModel } from './outbox-model';

/**
 * Records events in the caller's transaction: they exist exactly when the state change they describe was
 * committed. Returns the stored events (with their ids), in the order given. An event's trace context is best-effort
 * and never refuses the event: what the outbox would not keep is dropped, from the row and from the event returned
 * alike ({@link storableTraceContext}).
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
  const stored: DomainEvent[] = events.map((event) =>
    storableTraceContext({
      ...event,
      id: event.id ?? randomUUID(),
      time: event.time ?? new Date(),
    }),
  );
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
        traceparent: event.traceparent ?? null,
        tracestate: event.tracestate ?? null,
      },
      { transaction },
    );
    seqs.push(row.seq);
  }
  return { events: stored, seqs };
}

/**
 * `event` with the trace context the outbox keeps: a `traceparent` longer than its column drops the whole context;
 * a `tracestate` without its `traceparent`, empty, or longer than its column ({@link TRACESTATE_MAX_LENGTH}) is
 * dropped alone.
 */
function storableTraceContext(event: DomainEvent): DomainEvent {
  const { traceparent, tracestate, ...rest } = event;
  if (traceparent === undefined && tracestate === undefined) return event;
  if (!traceparent || traceparent.length > TRACEPARENT_MAX_LENGTH) return rest;
  if (!tracestate || tracestate.length > TRACESTATE_MAX_LENGTH) return { ...rest, traceparent };
  return event;
}
