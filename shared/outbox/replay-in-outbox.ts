import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { DomainEvent, NewDomainEvent } from '../domain/domain-event';
import { OUTBOX_TABLE } from './outbox-migration';

/** The outbox's column sizes (outbox-migration.ts): an event published again must fit them as it is. */
const LIMITS = { id: 64, type: 200, source: 200, subject: 200, partitionKey: 200 } as const;

/** Whether an event others published fits the outbox as it is, to be published again with its own attributes. */
export function fitsTheOutbox(event: DomainEvent): boolean {
  return (Object.keys(LIMITS) as (keyof typeof LIMITS)[]).every((key) => event[key].length <= LIMITS[key]);
}

/**
 * Makes room in the outbox for events published again with their own ids (a replaying function's, shared/kit/outbox.ts):
 * a published row of the same id goes (it was sent; the relay would delete it within days anyway), and an event
 * whose row is still unpublished is left out, since it is on its way already. Answers the events to append.
 */
export async function roomForReplays(
  sequelize: Sequelize,
  transaction: Transaction,
  events: readonly NewDomainEvent[],
): Promise<NewDomainEvent[]> {
  const ids = events.flatMap((event) => (event.id === undefined ? [] : [event.id]));
  if (ids.length === 0) return [...events];
  await sequelize.query(`DELETE FROM ${OUTBOX_TABLE} WHERE id IN (:ids) AND published_at IS NOT NULL`, {
    replacements: { ids },
    transaction,
  });
  const waiting = await sequelize.query<{ id: string }>(`SELECT id FROM ${OUTBOX_TABLE} WHERE id IN (:ids)`, {
    type: QueryTypes.SELECT,
    replacements: { ids },
    transaction,
  });
  const onTheirWay = new Set(waiting.map((row) => row.id));
  return events.filter((event) => event.id === undefined || !onTheirWay.has(event.id));
}
