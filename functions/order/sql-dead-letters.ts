import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import {
  isPending,
  type DeadLetter,
  type DeadLetterFilter,
  type DeadLetterSelection,
  type DeadLetterStore,
} from '../../shared/domain/dead-letter';
import type { DomainEvent } from '../../shared/domain/domain-event';
import type { ServiceDatabase } from '../../shared/kit/service-stores';
import { fitsTheOutbox } from '../../shared/outbox/replay-in-outbox';
import { inTransaction } from '../../shared/sql/in-transaction';
import { sqlTime } from '../../shared/sql/sql-time';

/** A row of `dead_letters` (order-migrations.ts) as the statements below select it. */
interface DeadLetterRow {
  readonly id: string;
  readonly eventId: string;
  readonly subscriber: string;
  readonly type: string;
  readonly source: string;
  readonly subject: string | null;
  readonly status: number | null;
  readonly problemCode: string | null;
  readonly event: string | null;
  // MariaDB gives a Date; SQLite the text it stored.
  readonly deadLetteredAt: Date | string;
  readonly replayedAt: Date | string | null;
}

const COLUMNS = `id, event_id AS eventId, subscriber, type, source, subject, status, problem_code AS problemCode,
  event, dead_lettered_at AS deadLetteredAt, replayed_at AS replayedAt`;

// A letter is pending until it is published again, and again when the broker gives it up after that (isPending).
const PENDING = '(replayed_at IS NULL OR replayed_at < dead_lettered_at)';

// What a letter given up again updates; the event and its subscriber are the key.
const UPDATED = ['type', 'source', 'subject', 'status', 'problem_code', 'event', 'dead_lettered_at'];
const INSERT = `INSERT INTO dead_letters (id, event_id, subscriber, ${UPDATED.join(', ')})
  VALUES (:id, :eventId, :subscriber, :type, :source, :subject, :status, :problemCode, :event, :at)`;

/** Insert a letter, or update the one kept for the same event and subscriber: one statement either way. */
const KEEP = {
  mysql: `${INSERT} ON DUPLICATE KEY UPDATE ${UPDATED.map((column) => `${column} = VALUES(${column})`).join(', ')}`,
  sqlite: `${INSERT} ON CONFLICT (event_id, subscriber) DO UPDATE SET ${UPDATED.map(
    (column) => `${column} = excluded.${column}`,
  ).join(', ')}`,
};

/** The WHERE clause of `conditions` and of a subscriber and a type when given, with its named replacements. */
function whereOf(filter: DeadLetterSelection, conditions: readonly string[]) {
  const where = [...conditions];
  const replacements: Record<string, unknown> = {};
  for (const column of ['subscriber', 'type'] as const) {
    const value = filter[column];
    if (value === undefined) continue;
    where.push(`${column} = :${column}`);
    replacements[column] = value;
  }
  return { clause: where.length === 0 ? '1 = 1' : where.join(' AND '), replacements };
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    eventId: row.eventId,
    type: row.type,
    source: row.source,
    subject: row.subject ?? undefined,
    subscriber: row.subscriber,
    status: row.status ?? undefined,
    problemCode: row.problemCode ?? undefined,
    deadLetteredAt: new Date(row.deadLetteredAt),
    replayedAt: row.replayedAt === null ? undefined : new Date(row.replayedAt),
    replayable: row.event !== null,
  };
}

/** The stored event, as it was published: its time and data restored from JSON. */
function storedEvent(json: string): DomainEvent {
  const event = JSON.parse(json) as Omit<DomainEvent, 'time'> & { readonly time: string };
  return { ...event, time: new Date(event.time) };
}

/** The order service's dead letters on its SQL database; a replay goes to its outbox in the same transaction. */
export function sqlDeadLetterStore({ sequelize, outbox }: ServiceDatabase): DeadLetterStore {
  const dialect = sequelize.getDialect() === 'mysql' ? 'mysql' : 'sqlite';
  const countWhere = async (clause: string, replacements: Record<string, unknown>) => {
    const [counted] = await sequelize.query<{ total: number | string }>(
      `SELECT COUNT(*) AS total FROM dead_letters WHERE ${clause}`,
      { type: QueryTypes.SELECT, replacements },
    );
    return Number(counted?.total ?? 0);
  };
  return {
    async keep(letter, at) {
      await sequelize.query(KEEP[dialect], {
        replacements: {
          id: randomUUID(),
          // Cut to the columns' sizes: a letter that is no event of the shop may carry anything, and is kept all
          // the same (it cannot be published again, see below).
          eventId: letter.id.slice(0, 200),
          subscriber: (letter.subscriber ?? letter.destination ?? 'unknown').slice(0, 200),
          type: letter.type.slice(0, 200),
          source: letter.source.slice(0, 500),
          subject: letter.subject?.slice(0, 200) ?? null,
          status: letter.status ?? null,
          problemCode: letter.problemCode?.slice(0, 100) ?? null,
          // An event that does not fit the outbox as it is cannot be published again.
          event: letter.event && fitsTheOutbox(letter.event) ? JSON.stringify(letter.event) : null,
          at: sqlTime(sequelize, at),
        },
      });
    },

    async list(filter: DeadLetterFilter) {
      const pending = filter.pending === undefined ? [] : [filter.pending ? PENDING : `NOT ${PENDING}`];
      const { clause, replacements } = whereOf(filter, pending);
      const offset = (filter.page - 1) * filter.pageSize;
      const [rows, total] = await Promise.all([
        sequelize.query<DeadLetterRow>(
          `SELECT ${COLUMNS} FROM dead_letters WHERE ${clause}
           ORDER BY dead_lettered_at DESC, id LIMIT :limit OFFSET :offset`,
          { type: QueryTypes.SELECT, replacements: { ...replacements, limit: filter.pageSize, offset } },
        ),
        countWhere(clause, replacements),
      ]);
      return { items: rows.map(toDeadLetter), total };
    },

    async replayableIds(filter, limit) {
      const { clause, replacements } = whereOf(filter, [PENDING, 'event IS NOT NULL']);
      const [rows, total] = await Promise.all([
        sequelize.query<{ id: string }>(
          `SELECT id FROM dead_letters WHERE ${clause} ORDER BY dead_lettered_at, id LIMIT :limit`,
          { type: QueryTypes.SELECT, replacements: { ...replacements, limit } },
        ),
        countWhere(clause, replacements),
      ]);
      return { ids: rows.map((row) => row.id), total };
    },

    replay(id, at) {
      return inTransaction(sequelize, async (transaction) => {
        const [row] = await sequelize.query<DeadLetterRow>(
          `SELECT ${COLUMNS} FROM dead_letters WHERE id = :id${dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
          { type: QueryTypes.SELECT, replacements: { id }, transaction },
        );
        if (!row) return 'not-found';
        const letter = toDeadLetter(row);
        if (row.event === null) return 'not-replayable';
        if (!isPending(letter)) return 'not-pending';
        await sequelize.query('UPDATE dead_letters SET replayed_at = :at WHERE id = :id', {
          replacements: { id, at: sqlTime(sequelize, at) },
          transaction,
        });
        await outbox.append(transaction, [storedEvent(row.event)]);
        return { ...letter, replayedAt: at };
      });
    },
  };
}
