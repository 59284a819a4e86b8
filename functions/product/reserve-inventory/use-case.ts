import type { OrderCancelledData } from '../../../events/order-cancelled';
import type { OrderPlacedData } from '../../../events/order-placed';
import type { OrderShippedData } from '../../../events/order-shipped';
import type { Handled } from '../../../shared/domain/once-per-event';
import type { InventoryStore } from '../../../shared/domain/product/product-ports';
import {
  commitReservation,
  placeReservation,
  releaseReservation,
} from '../../../shared/domain/product/reservation';

export interface ReservePorts {
  readonly inventory: InventoryStore;
  readonly now: () => Date;
}

const handled = (change: unknown): Handled => (change === undefined ? 'duplicate' : 'processed');

/** `com.ecom.order.placed`: every line reserved, or none (`com.ecom.inventory.rejected`); once per order. */
export async function onOrderPlaced(ports: ReservePorts, data: OrderPlacedData): Promise<Handled> {
  const productIds = data.lines.map((line) => line.productId);
  return handled(
    await ports.inventory.changeForOrder(data.orderId, productIds, (current, stock) =>
      placeReservation(data, current, stock, ports.now()),
    ),
  );
}

/** `com.ecom.order.cancelled`: the order's reservation released; a cancellation first keeps it from ever reserving. */
export async function onOrderCancelled(ports: ReservePorts, data: OrderCancelledData): Promise<Handled> {
  return handled(
    await ports.inventory.changeForOrder(data.orderId, [], (current, stock) =>
      releaseReservation(data.orderId, current, stock, ports.now()),
    ),
  );
}

/** `com.ecom.order.shipped`: the reserved units leave the stock, once. */
export async function onOrderShipped(ports: ReservePorts, data: OrderShippedData): Promise<Handled> {
  return handled(
    await ports.inventory.changeForOrder(data.orderId, [], (current, stock) =>
      commitReservation(data.orderId, current, stock, ports.now()),
    ),
  );
}
