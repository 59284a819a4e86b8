import type { OrderRepository } from '../../shared/domain/order/order-ports';
import type { OrderChange, PaymentLedger } from '../../shared/domain/order/payment-ports';
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
      if (stored) countChange({ next, from });
      return stored;
    },
  };
}

/** Counts an order's change that committed: paid, or cancelled. */
function countChange({ next, from }: OrderChange): void {
  if (next.status === from) return;
  if (next.status === 'PAID') orderPaid();
  // A paid order is CANCELLING until its refund is back; it counts when it is CANCELLED.
  if (next.status === 'CANCELLED' && next.cancellation) orderCancelled(next.cancellation.reason);
}

/**
 * The payment ledger, counting the charges the gateway declined as their outcome commits, and what they did to their
 * orders (a charge pays its order, or cancels it, in the same transaction).
 */
export function countedPayments(payments: PaymentLedger): PaymentLedger {
  return {
    find: (orderId) => payments.find(orderId),
    chargeDue: (orderId) => payments.chargeDue(orderId),
    async recordCharge(record, events, change) {
      const stored = await payments.recordCharge(record, events, change);
      if (stored === 'recorded') {
        if (record.status === 'FAILED') paymentDeclined(record.declineCode ?? 'declined');
        if (change) countChange(change);
      }
      return stored;
    },
    recordRefund: (orderId, refund, events) => payments.recordRefund(orderId, refund, events),
  };
}
