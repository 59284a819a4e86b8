import type { CancellationReason } from '../../events/order-events';
import { lazyInstruments } from './meter';

/**
 * The shop's business counters, recorded by the functions once a change is committed (functions/order/order-metrics.ts
 * and functions/product/inventory-metrics.ts count at their stores' commits), never for a duplicate delivery or a
 * replayed request, which commit nothing. Dead letters are counted apart: by the function reading the dead-letter
 * topic (dead-letter-metrics.ts), and by each consumer as the `dead_letter` outcome of what it refuses
 * (consumer-metrics.ts).
 */

/** Why an order was cancelled (events/order-events.ts: CUSTOMER_REQUEST, ADMIN_REQUEST, OUT_OF_STOCK, ...). */
export const ORDER_CANCEL_REASON = 'ecom.order.cancel_reason';
/** The gateway's code for a declined charge (card_declined, insufficient_funds, invalid_token). */
export const PAYMENT_DECLINE_CODE = 'ecom.payment.decline_code';

const counters = lazyInstruments((meter) => ({
  placed: meter.createCounter('ecom.orders.placed', { unit: '{order}', description: 'Orders placed.' }),
  paid: meter.createCounter('ecom.orders.paid', { unit: '{order}', description: 'Orders paid.' }),
  cancelled: meter.createCounter('ecom.orders.cancelled', {
    unit: '{order}',
    description: 'Orders cancelled (a paid one once its refund is back), by reason.',
  }),
  declined: meter.createCounter('ecom.payments.declined', {
    unit: '{payment}',
    description: 'Charges the payment gateway declined, by decline code.',
  }),
  rejected: meter.createCounter('ecom.inventory.reservations_rejected', {
    unit: '{reservation}',
    description: 'Orders whose stock could not all be reserved.',
  }),
}));

/** An order was stored (PENDING): not a replay of its Idempotency-Key. */
export function orderPlaced(): void {
  counters().placed.add(1);
}

/** An order's charge was captured: it is PAID. */
export function orderPaid(): void {
  counters().paid.add(1);
}

/** An order reached CANCELLED, for `reason`. */
export function orderCancelled(reason: CancellationReason): void {
  counters().cancelled.add(1, { [ORDER_CANCEL_REASON]: reason });
}

/** The gateway declined an order's charge. */
export function paymentDeclined(declineCode: string): void {
  counters().declined.add(1, { [PAYMENT_DECLINE_CODE]: declineCode });
}

/** An order's reservation was rejected: a line was short or not sellable. */
export function reservationRejected(): void {
  counters().rejected.add(1);
}
