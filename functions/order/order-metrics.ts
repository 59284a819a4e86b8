import type { OrderRepository } from '../../shared/domain/order/order-ports';
import type { PaymentLedger } from '../../shared/domain/order/payment-ports';
import { orderCancelled, orderPaid, orderPlaced, paymentDeclined } from '../../shared/metrics/shop-metrics';

/**
 * The order repository, counting the orders placed, paid and cancelled (shared/metrics/shop-metrics.ts) as their
 * changes commit. Counted at the store, every use case that moves an order is counted alike, once: a replayed
 * placement, a duplicate delivery and a step that lost its compare-and-set commit nothing, so they count nothing.
 */
export function countedOrders(orders: OrderRepository): OrderRepository {
  return {
    findById: (id) => orders.findById(id),
    list: (filter, page) => orders.list(filter, page),
    openBefore: (placedBefore, limit) => orders.openBefore(placedBefore, limit),
    findByKey: (customerId, key) => orders.findByKey(customerId, key),
    async place(order, placement) {
      const outcome = await orders.place(order, placement);
      if (outcome.placed) orderPlaced();
      return outcome;
    },
    async transition(next, from, events) {
      const stored = await orders.transition(next, from, events);
      if (stored && next.status !== from) {
        if (next.status === 'PAID') orderPaid();
        // A paid order is CANCELLING until its refund is back; it counts when it is CANCELLED.
        if (next.status === 'CANCELLED' && next.cancellation) orderCancelled(next.cancellation.reason);
      }
      return stored;
    },
  };
}

/** The payment ledger, counting the charges the gateway declined as their outcome commits. */
export function countedPayments(payments: PaymentLedger): PaymentLedger {
  return {
    find: (orderId) => payments.find(orderId),
    chargeDue: (orderId) => payments.chargeDue(orderId),
    async recordCharge(record, events) {
      const stored = await payments.recordCharge(record, events);
      if (stored && record.status === 'FAILED') paymentDeclined(record.declineCode ?? 'declined');
      return stored;
    },
    recordRefund: (orderId, refund, events) => payments.recordRefund(orderId, refund, events),
  };
}
