import type { OrderRepository } from '../../shared/domain/order/order-ports';
import type { ServiceStores } from '../../shared/kit/service-stores';
import { sqlOrderRepository } from './sql-order-repository';

/** The order service's repositories over the kit's stores; each opens the database on first use. */
export interface OrderStores {
  readonly orders: () => Promise<OrderRepository>;
}

export function orderStores(stores: ServiceStores): OrderStores {
  return {
    orders: async () => sqlOrderRepository(await stores.database()),
  };
}
