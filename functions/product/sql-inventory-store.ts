import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { StockLevels } from '../../shared/domain/product/inventory';
import type { InventoryStore } from '../../shared/domain/product/product-ports';
import type { OrderReservation, ProductStock } from '../../shared/domain/product/reservation';
import type { ServiceDatabase } from '../../shared/kit/service-stores';
import { inTransaction } from '../../shared/sql/in-transaction';
import { productModels } from './product-models';

/**
 * Stock on the service's SQL database. Every change reads the inventory rows it needs with `FOR UPDATE`, always in
 * product-id order, so two orders that share products queue on the same first row instead of deadlocking; the
 * change, the order's reservation record and the events are one transaction.
 */
export function sqlInventoryStore({ sequelize, outbox }: ServiceDatabase): InventoryStore {
  const { Inventory, Product, OrderReservation, ReservationLine } = productModels(sequelize);

  /** The stock of `productIds` under row locks; products that were never created are absent. */
  async function lockedStock(
    productIds: readonly string[],
    transaction: Transaction,
  ): Promise<Map<string, ProductStock>> {
    const ids = [...new Set(productIds)].sort();
    if (ids.length === 0) return new Map();
    const rows = await Inventory.findAll({
      where: { productId: { [Op.in]: ids } },
      order: [['productId', 'ASC']],
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    const products = await Product.findAll({
      where: { id: { [Op.in]: ids } },
      attributes: ['id', 'status', 'deletedAt', 'reorderLevel'],
      transaction,
    });
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

  async function storeLevels(levels: ReadonlyMap<string, StockLevels>, now: Date, transaction: Transaction) {
    for (const [productId, next] of levels) {
      await Inventory.update(
        { onHand: next.onHand, reserved: next.reserved, updatedAt: now },
        { where: { productId }, transaction },
      );
    }
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
        const record = await OrderReservation.findByPk(orderId, {
          transaction,
          lock: transaction.LOCK.UPDATE,
        });
        const lines = record
          ? await ReservationLine.findAll({ where: { orderId }, order: [['productId', 'ASC']], transaction })
          : [];
        const current: OrderReservation | undefined = record
          ? {
              orderId,
              state: record.state,
              lines: lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
            }
          : undefined;
        const stock = await lockedStock([...productIds, ...lines.map((line) => line.productId)], transaction);
        const change = decide(current, stock);
        if (!change) return undefined;
        const now = new Date();
        if (record) {
          record.set({ state: change.reservation.state, updatedAt: now });
          await record.save({ transaction });
        } else {
          await OrderReservation.create(
            { orderId, state: change.reservation.state, createdAt: now, updatedAt: now },
            { transaction },
          );
          await ReservationLine.bulkCreate(
            change.reservation.lines.map((line) => ({ orderId, ...line })),
            { transaction },
          );
        }
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
        await storeLevels(new Map([[productId, next]]), new Date(), transaction);
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
