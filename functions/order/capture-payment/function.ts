import { OrderCancelled } from '../../../events/order-cancelled';
import { OrderChanged, OrderPaid } from '../../../events/order-events';
import { PaymentCaptured, PaymentFailed, RefundRequested } from '../../../events/payment-events';
import { InventoryReserved } from '../../../events/inventory-events';
import { defineFunction } from '../../../shared/kit/function-definition';
import type { MeasuredCapacity } from '../../../shared/runtime/function-definition';
import { orderService } from '../service';

/** What one instance handles at once, as bench/capacity.ts measured it (the knee of its concurrency sweep). */
const capacity = {
  concurrency: 32,
  throughput: 169,
  p99Ms: 253.4,
  measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only capture-payment',
  measuredOn: '2026-12-03',
} satisfies MeasuredCapacity;

/**
 * How many charges one instance runs at once, its measured capacity: each waits on the gateway with a connection at
 * hand, so the pool is sized to it.
 */
export const CAPTURE_CONCURRENCY = capacity.concurrency;

export const definition = defineFunction({
  name: 'capture-payment',
  service: orderService,
  description:
    'Charges an order once its stock is reserved: its stored total through the payment gateway (simulated: test tokens), once per order id. The outcome (com.ecom.payment.captured or .failed) and what it makes of the order (RESERVED, then PAID or CANCELLED as PAYMENT_DECLINED) are stored in one transaction; a transient gateway failure stores RESERVED alone and is retried. The payment token is deleted when the charge settles.',
  trigger: { kind: 'cloudevent', eventTypes: [InventoryReserved.type] },
  uses: {
    database: { pool: CAPTURE_CONCURRENCY },
    events: [PaymentCaptured, PaymentFailed, OrderPaid, OrderCancelled, RefundRequested, OrderChanged],
  },
  capacity,
  // One instance takes an event of every partition at once (its target is above the 10 events the broker has in
  // flight), so a second would never get any: its pool stays within the order service's connection budget.
  scaling: { maxScale: 1 },
});
