import type { InventoryStore } from '../../shared/domain/product/product-ports';
import { reservationRejected } from '../../shared/metrics/shop-metrics';

/**
 * The inventory store, counting the reservations rejected (shared/metrics/shop-metrics.ts) as they commit. Only a
 * placement that could not reserve every line stores a `rejected` record; a redelivery finds the record and changes
 * nothing, so it counts nothing.
 */
export function countedInventory(inventory: InventoryStore): InventoryStore {
  return {
    levels: (productId) => inventory.levels(productId),
    levelsOf: (productIds) => inventory.levelsOf(productIds),
    adjust: (productId, decide) => inventory.adjust(productId, decide),
    async changeForOrder(orderId, productIds, decide) {
      const change = await inventory.changeForOrder(orderId, productIds, decide);
      if (change?.reservation.state === 'rejected') reservationRejected();
      return change;
    },
  };
}
