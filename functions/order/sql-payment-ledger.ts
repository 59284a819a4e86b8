import { QueryTypes, UniqueConstraintError } from 'sequelize';
import type { PaymentLedger, PaymentRecord } from '../../shared/domain/order/payment-ports';
import type { ServiceDatabase } from '../../shared/kit/service-stores';
import { inTransaction } from '../../shared/sql/in-transaction';
import { insertRows } from '../../shared/sql/insert-rows';
import { orderModels, type PaymentRow } from './order-models';
import { storeOrderChange } from './sql-order-repository';

const STATUSES = new Set<string>(['CAPTURED', 'FAILED', 'REFUNDED']);

// One read by primary keys: the token is kept from placement until the charge settles or the order ends, and the
// total is the order's own, as it was priced at placement.
const CHARGE_DUE = `
  SELECT t.token AS token, o.total_amount AS amount, o.currency AS currency
  FROM order_payment_tokens t JOIN orders o ON o.id = t.order_id
  WHERE t.order_id = :orderId`;

const PAYMENT_COLUMNS = {
  orderId: 'order_id',
  status: 'status',
  currency: 'currency',
  amount: 'amount',
  reference: 'reference',
  declineCode: 'decline_code',
  settledAt: 'settled_at',
};

const FORGET_TOKEN = 'DELETE FROM order_payment_tokens WHERE order_id = :orderId';

function toRecord(row: PaymentRow): PaymentRecord {
  if (!STATUSES.has(row.status)) throw new Error(`payment ${row.orderId} has status ${row.status}`);
  return {
    orderId: row.orderId,
    status: row.status as PaymentRecord['status'],
    amount: { amount: Number(row.amount), currency: row.currency },
    reference: row.reference,
    ...(row.declineCode !== null ? { declineCode: row.declineCode } : {}),
    ...(row.refundReference !== null ? { refundReference: row.refundReference } : {}),
    settledAt: row.settledAt,
    ...(row.refundedAt !== null ? { refundedAt: row.refundedAt } : {}),
  };
}

/** The order service's payments on its SQL database; every change's events go to its outbox in the same transaction. */
export function sqlPaymentLedger({ sequelize, outbox }: ServiceDatabase): PaymentLedger {
  const { Payment } = orderModels(sequelize);
  return {
    async find(orderId) {
      const row = await Payment.findByPk(orderId);
      return row ? toRecord(row) : undefined;
    },

    async chargeDue(orderId) {
      const row = await sequelize.query<{ token: string; amount: number | string; currency: string }>(
        CHARGE_DUE,
        {
          replacements: { orderId },
          type: QueryTypes.SELECT,
          plain: true,
        },
      );
      return row === null
        ? undefined
        : { token: row.token, total: { amount: Number(row.amount), currency: row.currency } };
    },

    async recordCharge(record, events, change) {
      try {
        return await inTransaction(sequelize, async (transaction) => {
          // The order first: a step that moved it meanwhile leaves this transaction nothing to store.
          if (change && !(await storeOrderChange(sequelize, transaction, change.next, change.from))) {
            return 'order-moved';
          }
          // One record per order: a concurrent delivery's insert fails here, and its order change rolls back with it.
          // Written as SQL, as the order's change is: every charge runs these.
          await insertRows(sequelize, transaction, 'payments', PAYMENT_COLUMNS, [
            {
              orderId: record.orderId,
              status: record.status,
              currency: record.amount.currency,
              amount: record.amount.amount,
              reference: record.reference,
              declineCode: record.declineCode ?? null,
              settledAt: record.settledAt,
            },
          ]);
          // The charge settled: the token is not needed any more, and is not kept.
          await sequelize.query(FORGET_TOKEN, { replacements: { orderId: record.orderId }, transaction });
          await outbox.append(transaction, events);
          return 'recorded';
        });
      } catch (error) {
        if (error instanceof UniqueConstraintError) return 'duplicate';
        throw error;
      }
    },

    async recordRefund(orderId, refund, events) {
      return inTransaction(sequelize, async (transaction) => {
        const [changed] = await Payment.update(
          { status: 'REFUNDED', refundReference: refund.reference, refundedAt: refund.at },
          { where: { orderId, status: 'CAPTURED' }, transaction },
        );
        if (changed === 0) return false;
        await outbox.append(transaction, events);
        return true;
      });
    },
  };
}
