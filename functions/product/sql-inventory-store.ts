import { Op, QueryTypes, UniqueConstraintError, type Transaction } from 'sequelize';
import type { StockLevels } from '../../shared/domain/product/inventory';
import type { InventoryStore } from '../../shared/domain/product/product-ports';
import type {
  OrderReservation,
  ProductStock,
  ReservationState,
} from '../../shared/domain/product/reservation';
import type { ServiceDatabase } from '../../shared/kit/service-stores';
import { inTransaction } from '../../shared/sql/in-transaction';
import { insertRows } from '../../shared/sql/insert-rows';
import { sqlTime } from '../../shared/sql/sql-time';
import { productModels } from './product-models';

const RESERVATION_COLUMNS = {
  orderId: 'order_id',
  state: 'state',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
const LINE_COLUMNS = { orderId: 'order_id', productId: 'product_id', quantity: 'quantity' };

/**
 * Stock on the service's SQL database. Every change reads the inventory rows it needs with `FOR UPDATE`, always in
 * product-id order, so two orders that share products queue on the same first row instead of deadlocking; the
 * change, the order's reservation record and the events are one transaction.
 */
export function sqlInventoryStore({ sequelize, outbox }: ServiceDatabase): InventoryStore {
  const { Inventory, Product } = productModels(sequelize);

  // The saga's path (changeOnce) is written as SQL: it runs for every order event, and sequelize's model layer
  // (building each statement, instances from the rows) cost it more CPU than the driver and MariaDB together
  // (bench/README.md, "Where a saga step's time goes").
  const forUpdate = sequelize.getDialect() === 'mysql' ? ' FOR UPDATE' : '';
  const select = <T extends object>(
    sql: string,
    replacements: Record<string, unknown>,
    transaction: Transaction,
  ) => sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements, transaction });
  const run = (sql: string, replacements: Record<string, unknown>, transaction: Transaction) =>
    sequelize.query(sql, { replacements, transaction });

  /** The stock of `productIds` under row locks; products that were never created are absent. */
  async function lockedStock(
    productIds: readonly string[],
    transaction: Transaction,
  ): Promise<Map<string, ProductStock>> {
    const ids = [...new Set(productIds)].sort();
    if (ids.length === 0) return new Map();
    const rows = await select<{ productId: string; onHand: number; reserved: number }>(
      `SELECT product_id AS productId, on_hand AS onHand, reserved FROM inventory
       WHERE product_id IN (:ids) ORDER BY product_id${forUpdate}`,
      { ids },
      transaction,
    );
    const products = await select<{ id: string; status: string; deletedAt: unknown; reorderLevel: number }>(
      'SELECT id, status, deleted_at AS deletedAt, reorder_level AS reorderLevel FROM products WHERE id IN (:ids)',
      { ids },
      transaction,
    );
    const byId = new Map(products.map((product) => [product.id, product]));
    return new Map(
      rows.map((row) => {
        const product = byId.get(row.productId);
        return [
          row.productId,
          {
            onHand: row.onHand,
            reserved: row.reserved,
            reorderLevel: product?.reorderLevel ?? 0,
            sellable: product !== undefined && product.deletedAt === null && product.status === 'active',
          },
        ];
      }),
    );
  }

  /** Every product's new levels in one statement, whatever the number of lines. */
  async function storeLevels(
    levels: ReadonlyMap<string, StockLevels>,
    now: string,
    transaction: Transaction,
  ) {
    if (levels.size === 0) return;
    const replacements: Record<string, unknown> = { now, ids: [...levels.keys()] };
    const onHand: string[] = [];
    const reserved: string[] = [];
    [...levels].forEach(([productId, next], index) => {
      const key = String(index);
      Object.assign(replacements, {
        [`p${key}`]: productId,
        [`h${key}`]: next.onHand,
        [`r${key}`]: next.reserved,
      });
      onHand.push(`WHEN :p${key} THEN :h${key}`);
      reserved.push(`WHEN :p${key} THEN :r${key}`);
    });
    await run(
      `UPDATE inventory SET on_hand = CASE product_id ${onHand.join(' ')} END,
       reserved = CASE product_id ${reserved.join(' ')} END, updated_at = :now
       WHERE product_id IN (:ids)`,
      replacements,
      transaction,
    );
  }

  /** The order's reservation record and its lines, the record under its row lock; undefined when it has none. */
  async function lockedReservation(orderId: string, transaction: Transaction) {
    const [record] = await select<{ state: ReservationState }>(
      `SELECT state FROM order_reservations WHERE order_id = :orderId${forUpdate}`,
      { orderId },
      transaction,
    );
    if (!record) return undefined;
    const lines = await select<{ productId: string; quantity: number }>(
      'SELECT product_id AS productId, quantity FROM reservation_lines WHERE order_id = :orderId ORDER BY product_id',
      { orderId },
      transaction,
    );
    return { orderId, state: record.state, lines };
  }

  async function storeReservation(
    reservation: OrderReservation,
    isNew: boolean,
    now: string,
    transaction: Transaction,
  ) {
    const { orderId, state, lines } = reservation;
    if (!isNew) {
      await run(
        'UPDATE order_reservations SET state = :state, updated_at = :now WHERE order_id = :orderId',
        { orderId, state, now },
        transaction,
      );
      return;
    }
    await insertRows(sequelize, transaction, 'order_reservations', RESERVATION_COLUMNS, [
      { orderId, state, createdAt: now, updatedAt: now },
    ]);
    if (lines.length === 0) return;
    await insertRows(
      sequelize,
      transaction,
      'reservation_lines',
      LINE_COLUMNS,
      lines.map((line) => ({ orderId, ...line })),
    );
  }

  async function changeOnce(
    orderId: string,
    productIds: readonly string[],
    decide: Parameters<InventoryStore['changeForOrder']>[2],
  ) {
    // READ COMMITTED: a locking read of an order with no record yet takes no gap lock, which the many first
    // deliveries of different orders would otherwise share and then deadlock on as each inserts its record.
    return inTransaction(
      sequelize,
      async (transaction) => {
        const current = await lockedReservation(orderId, transaction);
        const reservedIds = current?.lines.map((line) => line.productId) ?? [];
        const stock = await lockedStock([...productIds, ...reservedIds], transaction);
        const change = decide(current, stock);
        if (!change) return undefined;
        const now = sqlTime(sequelize, new Date());
        await storeReservation(change.reservation, current === undefined, now, transaction);
        await storeLevels(change.levels, now, transaction);
        await outbox.append(transaction, change.events);
        return change;
      },
      { isolation: 'read-committed' },
    );
  }

  return {
    async levels(productId) {
      const row = await Inventory.findByPk(productId);
      if (!row) return undefined;
      const product = await Product.findOne({
        where: { id: productId, deletedAt: null },
        attributes: ['id'],
      });
      return product ? { onHand: row.onHand, reserved: row.reserved } : undefined;
    },

    async levelsOf(productIds) {
      if (productIds.length === 0) return new Map();
      const rows = await Inventory.findAll({ where: { productId: { [Op.in]: [...new Set(productIds)] } } });
      return new Map(rows.map((row) => [row.productId, { onHand: row.onHand, reserved: row.reserved }]));
    },

    async adjust(productId, decide) {
      return inTransaction(sequelize, async (transaction) => {
        const stock = (await lockedStock([productId], transaction)).get(productId);
        const live = await Product.findOne({ where: { id: productId, deletedAt: null }, transaction });
        if (!stock || !live) return undefined;
        const { next, events } = decide(stock);
        await storeLevels(new Map([[productId, next]]), sqlTime(sequelize, new Date()), transaction);
        await outbox.append(transaction, events);
        return next;
      });
    },

    async changeForOrder(orderId, productIds, decide) {
      try {
        return await changeOnce(orderId, productIds, decide);
      } catch (error) {
        // Two first deliveries of one order both found no record and both inserted one: the loser runs again and
        // now finds the winner's record.
        if (error instanceof UniqueConstraintError) return changeOnce(orderId, productIds, decide);
        throw error;
      }
    },
  };
}
