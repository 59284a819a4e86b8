import { OrderReserved } from '../../../events/order-events';
import { defineFunction } from '../../../shared/kit/function-definition';
import { orderService } from '../service';

/** How many charges one instance runs at once: each waits on the gateway with a connection at hand. */
export const CAPTURE_CONCURRENCY = 10;

export const definition = defineFunction({
  name: 'capture-payment',
  service: orderService,
  description:
    "Charges a reserved order's total through the payment gateway (simulated: test tokens), once per order id, and emits com.ecom.payment.captured or .failed; the payment token is deleted when the charge settles.",
  trigger: { kind: 'cloudevent', eventTypes: [OrderReserved.type] },
  uses: { database: { pool: CAPTURE_CONCURRENCY }, events: true },
  scaling: { maxScale: 2, target: CAPTURE_CONCURRENCY / 2, containerConcurrency: CAPTURE_CONCURRENCY },
});
