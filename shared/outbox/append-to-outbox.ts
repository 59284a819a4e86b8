import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { DomainEvent, NewDomainEvent } from '../domain/domain-event';
import { insertRows } from '../sql/insert-rows';
import { OUTBOX_TABLE, TRACEPARENT_MAX_LENGTH, TRACESTATE_MAX_LENGTH } from './outbox-migration';
import { EVENT_COLUMNS, outboxModel, type StoredEventColumns } from './outbox-model';

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
  const Outbox = outboxModel(sequelize);
  const rows = stored.map((event): StoredEventColumns => ({
    id: event.id,
    type: event.type,
    source: event.source,
    subject: event.subject,
    partitionKey: event.partitionKey,
    time: event.time,
    data: JSON.stringify(event.data),
    traceparent: event.traceparent ?? null,
    tracestate: event.tracestate ?? null,
  }));
  if (rows.length === 0) return { events: [], seqs: [] };
  if (
    sequelize.getDialect() === 'mysql' &&
    (rows.length === 1 || (await consecutiveSeqs(sequelize, transaction)))
  ) {
    // One statement for them all, numbered from the first id the server reports, in row order. Written as SQL: this
    // runs in every step of the saga, and the model's insert costs more CPU than the round trip.
    const [first] = await insertRows(sequelize, transaction, OUTBOX_TABLE, EVENT_COLUMNS, rows);
    return { events: stored, seqs: rows.map((_, index) => first + index) };
  }
  const seqs: number[] = [];
  for (const row of rows) seqs.push((await Outbox.create({ ...row }, { transaction })).seq);
  return { events: stored, seqs };
}

/** The server's auto-increment settings that decide how a multi-row insert numbers its rows. */
export interface AutoIncrementSettings {
  /** `innodb_autoinc_lock_mode`: 0 traditional, 1 consecutive (MariaDB's default), 2 interleaved (MySQL 8's). */
  readonly lockMode: number;
  /** `auto_increment_increment`: the step between ids (a Galera cluster sets its size). */
  readonly increment: number;
}

/**
 * Whether one multi-row INSERT numbers its rows with consecutive ids, in row order, from the first id it reports:
 * InnoDB promises it for such a "simple insert" in lock modes 0 and 1, with a step of 1. Mode 2 may interleave
 * another statement's ids between them.
 */
export function insertsConsecutiveIds({ lockMode, increment }: AutoIncrementSettings): boolean {
  return lockMode <= 1 && increment === 1;
}

const consecutive = new WeakMap<Sequelize, Promise<boolean>>();

/**
 * Whether the outbox can take a transaction's events in one INSERT: on MySQL when the server numbers them
 * consecutively (asked once per instance; the publication order rests on those numbers). SQLite's one writer would
 * number them so too, but the embedded stack does not need the round trips saved, and one insert per event needs
 * no assumption.
 */
function consecutiveSeqs(sequelize: Sequelize, transaction: Transaction): Promise<boolean> {
  let known = consecutive.get(sequelize);
  if (!known) {
    known =
      sequelize.getDialect() === 'mysql'
        ? sequelize
            .query<{ lockMode: number | string; increment: number | string }>(
              'SELECT @@innodb_autoinc_lock_mode AS lockMode, @@auto_increment_increment AS increment',
              // On the caller's connection: a pool of one has no other to give.
              { type: QueryTypes.SELECT, transaction },
            )
            .then(([settings]) =>
              settings
                ? insertsConsecutiveIds({
                    lockMode: Number(settings.lockMode),
                    increment: Number(settings.increment),
                  })
                : false,
            )
        : Promise.resolve(false);
    // A failed read is asked again next time rather than remembered.
    known.catch(() => consecutive.delete(sequelize));
    consecutive.set(sequelize, known);
  }
  return known;
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
