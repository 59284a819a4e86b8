import type { DeadLetterStore } from '../../shared/domain/dead-letter';
import type { OrderRepository } from '../../shared/domain/order/order-ports';
import type { PaymentGateway, PaymentLedger } from '../../shared/domain/order/payment-ports';
import type { ServiceStores } from '../../shared/kit/service-stores';
import { countedOrders, countedPayments } from './order-metrics';
import { sqlDeadLetterStore } from './sql-dead-letters';
import { simulatedPaymentGateway } from './simulated-payment-gateway';
import { sqlOrderRepository } from './sql-order-repository';
import { sqlPaymentLedger } from './sql-payment-ledger';

/**
 * The order service's repositories over the kit's stores; each opens the database on first use. Orders and payments
 * count what they commit (order-metrics.ts).
 */
export interface OrderStores {
  readonly orders: () => Promise<OrderRepository>;
  readonly payments: () => Promise<PaymentLedger>;
  /** The simulated gateway, the only adapter there is: it keeps its side in the order database. */
  readonly gateway: () => Promise<PaymentGateway>;
  /** Every event the broker gave up delivering, kept for an operator to publish again. */
  readonly deadLetters: () => Promise<DeadLetterStore>;
}

export function orderStores(stores: ServiceStores): OrderStores {
  return {
    orders: async () => countedOrders(sqlOrderRepository(await stores.database())),
    payments: async () => countedPayments(sqlPaymentLedger(await stores.database())),
    gateway: async () => simulatedPaymentGateway(await stores.database()),
    deadLetters: async () => sqlDeadLetterStore(await stores.database()),
  };
}
