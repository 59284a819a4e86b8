import { OrderCancelled } from '../../../events/order-cancelled';
import { OrderChanged } from '../../../events/order-events';
import { InventoryRejected } from '../../../events/inventory-events';
import { PaymentRefunded } from '../../../events/payment-events';
import { defineFunction } from '../../../shared/kit/function-definition';
import type { MeasuredCapacity } from '../../../shared/runtime/function-definition';
import { orderService } from '../service';

/** What one instance handles at once, as bench/capacity.ts measured it (the knee of its concurrency sweep). */
const capacity = {
  concurrency: 16,
  throughput: 208,
  p99Ms: 140.4,
  measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only advance-order',
  measuredOn: '2026-12-03',
} satisfies MeasuredCapacity;

/**
 * How many saga events one instance handles at once, its measured capacity: each holds a connection and the order's
 * row lock, so the pool is sized to it.
 */
export const ADVANCE_CONCURRENCY = capacity.concurrency;

export const definition = defineFunction({
  name: 'advance-order',
  service: orderService,
  description:
    "The order saga's consumer: stock rejected and a charge refunded move the order (a compare-and-set on its status) and emit what comes next; capture-payment moves it on a reservation, by the charge.",
  trigger: {
    kind: 'cloudevent',
    eventTypes: [InventoryRejected.type, PaymentRefunded.type],
  },
  uses: {
    database: { pool: ADVANCE_CONCURRENCY },
    events: [OrderCancelled, OrderChanged],
  },
  capacity,
  scaling: { maxScale: 2 },
});
