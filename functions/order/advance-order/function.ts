import { InventoryRejected, InventoryReserved } from '../../../events/inventory-events';
import { PaymentCaptured, PaymentFailed, PaymentRefunded } from '../../../events/payment-events';
import { defineFunction } from '../../../shared/kit/function-definition';
import { orderService } from '../service';

/** How many saga events one instance handles at once: each holds a connection and the order's row lock. */
export const ADVANCE_CONCURRENCY = 10;

export const definition = defineFunction({
  name: 'advance-order',
  service: orderService,
  description:
    "The order saga's consumer: stock reserved or rejected, a charge captured, declined or refunded move the order (a compare-and-set on its status) and emit what comes next.",
  trigger: {
    kind: 'cloudevent',
    eventTypes: [
      InventoryReserved.type,
      InventoryRejected.type,
      PaymentCaptured.type,
      PaymentFailed.type,
      PaymentRefunded.type,
    ],
  },
  uses: { database: { pool: ADVANCE_CONCURRENCY }, events: true },
  scaling: { maxScale: 2, target: ADVANCE_CONCURRENCY / 2, containerConcurrency: ADVANCE_CONCURRENCY },
});
