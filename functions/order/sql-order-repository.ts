import { Op, UniqueConstraintError, type Transaction, type WhereOptions } from 'sequelize';
import { CancellationReason } from '../../events/order-events';
import { ShippingAddress, type Order, type OrderLine } from '../../shared/domain/order/order';
import type { OrderRepository } from '../../shared/domain/order/order-ports';
import { isOpen, OrderStatus, PaymentStatus } from '../../shared/domain/order/order-saga';
import type { ServiceDatabase } from '../../shared/kit/service-stores';
import { inTransaction } from '../../shared/sql/in-transaction';
import { orderModels, type OrderLineRow, type OrderModels, type OrderRow } from './order-models';

function toLine(row: OrderLineRow, currency: string): OrderLine {
  const unit = Number(row.unitAmount);
  return {
    productId: row.productId,
    sku: row.sku,
    name: row.name,
    unitPrice: { amount: unit, currency },
    quantity: row.quantity,
    lineTotal: { amount: unit * row.quantity, currency },
  };
}

function toOrder(row: OrderRow, lines: readonly OrderLineRow[]): Order {
  const currency = row.currency;
  return {
    id: row.id,
    customerId: row.customerId,
    status: OrderStatus.parse(row.status),
    total: { amount: Number(row.totalAmount), currency },
    lines: [...lines].sort((a, b) => a.lineNo - b.lineNo).map((line) => toLine(line, currency)),
    shippingAddress: ShippingAddress.parse(JSON.parse(row.shippingAddress)),
    ...(row.paymentStatus !== null
      ? {
          payment: {
            status: PaymentStatus.parse(row.paymentStatus),
            amount: { amount: Number(row.paymentAmount ?? 0), currency },
            reference: row.paymentReference ?? '',
          },
        }
      : {}),
    ...(row.cancellationReason !== null && row.cancelledAt !== null
      ? { cancellation: { reason: CancellationReason.parse(row.cancellationReason), at: row.cancelledAt } }
      : {}),
    ...(row.carrier !== null && row.trackingNumber !== null && row.shippedAt !== null
      ? { shipment: { carrier: row.carrier, trackingNumber: row.trackingNumber, shippedAt: row.shippedAt } }
      : {}),
    ...(row.deliveredAt !== null ? { deliveredAt: row.deliveredAt } : {}),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The columns of an order's row, from the order. */
function toRow(order: Order) {
  return {
    id: order.id,
    customerId: order.customerId,
    currency: order.total.currency,
    totalAmount: order.total.amount,
    shippingAddress: JSON.stringify(order.shippingAddress),
    createdAt: order.createdAt,
    ...sagaColumns(order),
  };
}

/** The columns the saga changes. */
function sagaColumns(order: Order) {
  return {
    status: order.status,
    paymentStatus: order.payment?.status ?? null,
    paymentAmount: order.payment?.amount.amount ?? null,
    paymentReference: order.payment?.reference ?? null,
    cancellationReason: order.cancellation?.reason ?? null,
    cancelledAt: order.cancellation?.at ?? null,
    carrier: order.shipment?.carrier ?? null,
    trackingNumber: order.shipment?.trackingNumber ?? null,
    shippedAt: order.shipment?.shippedAt ?? null,
    deliveredAt: order.deliveredAt ?? null,
    updatedAt: order.updatedAt,
  };
}

/**
 * Stores the saga's part of `next` in `transaction` while the order's status is still `from`; false, changing
 * nothing, when another step moved it first. The compare-and-set is the update itself: it changes the row only while
 * it still has the status the step was decided from (InnoDB reads the latest committed row for it, under the row's
 * lock). Lines, customer and placement never change; the rest is the saga's, and each step changes some of it,
 * updatedAt at least.
 */
export async function storeOrderChange(
  { Order }: Pick<OrderModels, 'Order'>,
  transaction: Transaction,
  next: Order,
  from: OrderStatus,
): Promise<boolean> {
  const [changed] = await Order.update(sagaColumns(next), {
    where: { id: next.id, status: from },
    transaction,
  });
  return changed > 0;
}

/** Orders on the order service's SQL database; every change's events go to its outbox in the same transaction. */
export function sqlOrderRepository({ sequelize, outbox }: ServiceDatabase): OrderRepository {
  const { Order, OrderLine, PaymentToken, IdempotencyKey } = orderModels(sequelize);
  const findByKey = async (customerId: string, key: string) => {
    const row = await IdempotencyKey.findOne({ where: { customerId, idempotencyKey: key } });
    return row ? { orderId: row.orderId, requestDigest: row.requestDigest } : undefined;
  };
  return {
    async findById(id) {
      const row = await Order.findByPk(id, { include: 'lines' });
      return row ? toOrder(row, row.lines ?? []) : undefined;
    },

    findByKey,

    async transition(next, from, events) {
      return inTransaction(sequelize, async (transaction) => {
        if (!(await storeOrderChange({ Order }, transaction, next, from))) return false;
        // An order past the charge (paid, or ended before it) has no use for its payment token: none is kept.
        if (!isOpen(next.status)) await PaymentToken.destroy({ where: { orderId: next.id }, transaction });
        await outbox.append(transaction, events);
        return true;
      });
    },

    async openBefore(placedBefore, limit) {
      const rows = await Order.findAll({
        attributes: ['id'],
        where: { status: ['PENDING', 'RESERVED'], createdAt: { [Op.lt]: placedBefore } },
        order: [
          ['createdAt', 'ASC'],
          ['id', 'ASC'],
        ],
        limit,
      });
      return rows.map((row) => row.id);
    },

    async list(filter, { page, pageSize }) {
      const where: WhereOptions = {
        ...(filter.customerId !== undefined ? { customerId: filter.customerId } : {}),
        ...(filter.status !== undefined ? { status: filter.status } : {}),
        ...(filter.from !== undefined || filter.to !== undefined
          ? {
              createdAt: {
                ...(filter.from !== undefined ? { [Op.gte]: filter.from } : {}),
                ...(filter.to !== undefined ? { [Op.lt]: filter.to } : {}),
              },
            }
          : {}),
      };
      const [rows, total] = await Promise.all([
        Order.findAll({
          where,
          order: [
            ['createdAt', 'DESC'],
            ['id', 'ASC'],
          ],
          limit: pageSize,
          offset: (page - 1) * pageSize,
        }),
        Order.count({ where }),
      ]);
      const lines =
        rows.length === 0 ? [] : await OrderLine.findAll({ where: { orderId: rows.map((row) => row.id) } });
      return {
        items: rows.map((row) =>
          toOrder(
            row,
            lines.filter((line) => line.orderId === row.id),
          ),
        ),
        total,
      };
    },

    async place(order, { paymentToken, idempotency, events }) {
      try {
        await inTransaction(sequelize, async (transaction) => {
          // The key first: a second request with it waits here on the first's row, then fails, having made nothing.
          if (idempotency) {
            await IdempotencyKey.create(
              {
                customerId: order.customerId,
                idempotencyKey: idempotency.key,
                requestDigest: idempotency.requestDigest,
                orderId: order.id,
                createdAt: order.createdAt,
              },
              { transaction },
            );
          }
          await Order.create(toRow(order), { transaction });
          await OrderLine.bulkCreate(
            order.lines.map((line, index) => ({
              orderId: order.id,
              lineNo: index + 1,
              productId: line.productId,
              sku: line.sku,
              name: line.name,
              unitAmount: line.unitPrice.amount,
              quantity: line.quantity,
            })),
            { transaction },
          );
          await PaymentToken.create({ orderId: order.id, token: paymentToken }, { transaction });
          await outbox.append(transaction, events);
        });
        return { placed: true };
      } catch (error) {
        if (!(error instanceof UniqueConstraintError) || !idempotency) throw error;
        const existing = await findByKey(order.customerId, idempotency.key);
        if (!existing) throw error;
        return { placed: false, existing };
      }
    },
  };
}
