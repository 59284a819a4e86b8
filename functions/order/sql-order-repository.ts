import {
  Op,
  QueryTypes,
  UniqueConstraintError,
  type Model,
  type Sequelize,
  type Transaction,
  type WhereOptions,
} from 'sequelize';
import { CancellationReason } from '../../events/order-events';
import { ShippingAddress, type Order, type OrderLine } from '../../shared/domain/order/order';
import type { OrderRepository } from '../../shared/domain/order/order-ports';
import { isOpen, OrderStatus, PaymentStatus } from '../../shared/domain/order/order-saga';
import type { ServiceDatabase } from '../../shared/kit/service-stores';
import { inTransaction } from '../../shared/sql/in-transaction';
import { insertRows, type Columns } from '../../shared/sql/insert-rows';
import { sqlValues } from '../../shared/sql/sql-time';
import { orderModels, type OrderLineRow, type OrderRow } from './order-models';

/** A column of dates as a read gives it: a model instance or MariaDB a Date, a raw read on SQLite the stored text. */
type Read<T> = {
  readonly [K in keyof T]: T[K] extends Date
    ? Date | string
    : T[K] extends Date | null
      ? Date | string | null
      : T[K];
};
type OrderColumns = Read<Omit<OrderRow, keyof Model | 'lines'>>;
type LineColumns = Omit<OrderLineRow, keyof Model>;

const toDate = (value: Date | string) => new Date(value);

function toLine(row: LineColumns, currency: string): OrderLine {
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

function toOrder(row: OrderColumns, lines: readonly LineColumns[]): Order {
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
      ? {
          cancellation: {
            reason: CancellationReason.parse(row.cancellationReason),
            at: toDate(row.cancelledAt),
          },
        }
      : {}),
    ...(row.carrier !== null && row.trackingNumber !== null && row.shippedAt !== null
      ? {
          shipment: {
            carrier: row.carrier,
            trackingNumber: row.trackingNumber,
            shippedAt: toDate(row.shippedAt),
          },
        }
      : {}),
    ...(row.deliveredAt !== null ? { deliveredAt: toDate(row.deliveredAt) } : {}),
    createdAt: toDate(row.createdAt),
    updatedAt: toDate(row.updatedAt),
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
  sequelize: Sequelize,
  transaction: Transaction,
  next: Order,
  from: OrderStatus,
): Promise<boolean> {
  // Written as SQL, as the order's read is (ORDER_WITH_LINES): every step of the saga runs it.
  const changed = await sequelize.query(STORE_SAGA_COLUMNS, {
    type: QueryTypes.BULKUPDATE,
    replacements: { ...sqlValues(sequelize, sagaColumns(next)), id: next.id, from },
    transaction,
  });
  return changed > 0;
}

const STORE_SAGA_COLUMNS = `
  UPDATE orders SET status = :status, payment_status = :paymentStatus, payment_amount = :paymentAmount,
    payment_reference = :paymentReference, cancellation_reason = :cancellationReason, cancelled_at = :cancelledAt,
    carrier = :carrier, tracking_number = :trackingNumber, shipped_at = :shippedAt, delivered_at = :deliveredAt,
    updated_at = :updatedAt
  WHERE id = :id AND status = :from`;

/**
 * An order with its lines in one statement, a row per line. Written as SQL: the saga's steps read an order for each
 * event, and sequelize's include (building the join, then instances from its rows) cost more CPU than the read.
 */
const ORDER_WITH_LINES = `
  SELECT o.id, o.customer_id AS customerId, o.status, o.currency, o.total_amount AS totalAmount,
    o.shipping_address AS shippingAddress, o.payment_status AS paymentStatus, o.payment_amount AS paymentAmount,
    o.payment_reference AS paymentReference, o.cancellation_reason AS cancellationReason,
    o.cancelled_at AS cancelledAt, o.carrier, o.tracking_number AS trackingNumber, o.shipped_at AS shippedAt,
    o.delivered_at AS deliveredAt, o.created_at AS createdAt, o.updated_at AS updatedAt,
    l.order_id AS orderId, l.line_no AS lineNo, l.product_id AS productId, l.sku, l.name,
    l.unit_amount AS unitAmount, l.quantity
  FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
  WHERE o.id = :id
  ORDER BY l.line_no`;

/** A row of ORDER_WITH_LINES: the order's columns, and one line's (all null for an order without lines). */
type OrderWithLineRow = OrderColumns & { readonly [K in keyof LineColumns]: LineColumns[K] | null };

const hasLine = (row: OrderWithLineRow): row is OrderWithLineRow & LineColumns => row.lineNo !== null;

const ORDER_COLUMNS: Columns<ReturnType<typeof toRow>> = {
  id: 'id',
  customerId: 'customer_id',
  currency: 'currency',
  totalAmount: 'total_amount',
  shippingAddress: 'shipping_address',
  createdAt: 'created_at',
  status: 'status',
  paymentStatus: 'payment_status',
  paymentAmount: 'payment_amount',
  paymentReference: 'payment_reference',
  cancellationReason: 'cancellation_reason',
  cancelledAt: 'cancelled_at',
  carrier: 'carrier',
  trackingNumber: 'tracking_number',
  shippedAt: 'shipped_at',
  deliveredAt: 'delivered_at',
  updatedAt: 'updated_at',
};
const LINE_COLUMNS: Columns<LineColumns> = {
  orderId: 'order_id',
  lineNo: 'line_no',
  productId: 'product_id',
  sku: 'sku',
  name: 'name',
  unitAmount: 'unit_amount',
  quantity: 'quantity',
};
const TOKEN_COLUMNS = { orderId: 'order_id', token: 'token' };
const KEY_COLUMNS = {
  customerId: 'customer_id',
  idempotencyKey: 'idempotency_key',
  requestDigest: 'request_digest',
  orderId: 'order_id',
  createdAt: 'created_at',
};

/** Orders on the order service's SQL database; every change's events go to its outbox in the same transaction. */
export function sqlOrderRepository({ sequelize, outbox }: ServiceDatabase): OrderRepository {
  const { Order, OrderLine, PaymentToken, IdempotencyKey } = orderModels(sequelize);
  const findByKey = async (customerId: string, key: string) => {
    const row = await IdempotencyKey.findOne({ where: { customerId, idempotencyKey: key } });
    return row ? { orderId: row.orderId, requestDigest: row.requestDigest } : undefined;
  };
  return {
    async findById(id) {
      const rows = await sequelize.query<OrderWithLineRow>(ORDER_WITH_LINES, {
        type: QueryTypes.SELECT,
        replacements: { id },
      });
      const [first] = rows;
      if (!first) return undefined;
      return toOrder(first, rows.filter(hasLine));
    },

    findByKey,

    async transition(next, from, events) {
      return inTransaction(sequelize, async (transaction) => {
        if (!(await storeOrderChange(sequelize, transaction, next, from))) return false;
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
          // Written as SQL, as the saga's steps are: every order takes this path.
          if (idempotency) {
            await insertRows(sequelize, transaction, 'order_idempotency_keys', KEY_COLUMNS, [
              {
                customerId: order.customerId,
                idempotencyKey: idempotency.key,
                requestDigest: idempotency.requestDigest,
                orderId: order.id,
                createdAt: order.createdAt,
              },
            ]);
          }
          await insertRows(sequelize, transaction, 'orders', ORDER_COLUMNS, [toRow(order)]);
          await insertRows(
            sequelize,
            transaction,
            'order_lines',
            LINE_COLUMNS,
            order.lines.map((line, index) => ({
              orderId: order.id,
              lineNo: index + 1,
              productId: line.productId,
              sku: line.sku,
              name: line.name,
              unitAmount: line.unitPrice.amount,
              quantity: line.quantity,
            })),
          );
          await insertRows(sequelize, transaction, 'order_payment_tokens', TOKEN_COLUMNS, [
            { orderId: order.id, token: paymentToken },
          ]);
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
