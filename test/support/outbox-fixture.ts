import { QueryTypes, type Sequelize } from 'sequelize';
import type { NewDomainEvent } from '../../shared/domain/domain-event';
import { appendToOutbox } from '../../shared/outbox/append-to-outbox';
import { inTransaction } from '../../shared/sql/in-transaction';

/** An order-like event for aggregate `orderId`, numbered so tests can check the order of arrival. */
export function orderEvent(orderId: string, step: number): NewDomainEvent {
  return {
    type: 'com.ecom.order.step-recorded',
    source: '/ecom/order/test',
    subject: orderId,
    partitionKey: orderId,
    data: { orderId, step },
  };
}

/** Commits steps `from`..`to` for each order, one transaction per event, interleaving the orders. */
export async function commitEvents(
  sequelize: Sequelize,
  orderIds: readonly string[],
  from: number,
  to: number,
) {
  for (let step = from; step <= to; step++) {
    for (const orderId of orderIds) {
      await inTransaction(sequelize, (tx) => appendToOutbox(sequelize, tx, [orderEvent(orderId, step)]));
    }
  }
}

/** How many committed events the relay has not published yet. */
export async function pendingEvents(sequelize: Sequelize): Promise<number> {
  const [row] = await sequelize.query<{ n: number }>(
    'SELECT COUNT(*) AS n FROM outbox_events WHERE published_at IS NULL',
    { type: QueryTypes.SELECT },
  );
  return Number(row?.n);
}
