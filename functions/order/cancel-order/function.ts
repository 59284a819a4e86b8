import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { orderService } from '../service';

/** A customer cancels their own order, an admin anyone's, while it is not shipped. */
export const cancelOrderRoute: HttpRoute = {
  method: 'POST',
  path: '/v1/orders/{id}/cancel',
  auth: 'authenticated',
};

export const definition = defineFunction({
  name: 'cancel-order',
  service: orderService,
  description:
    "Cancels an order at its customer's or an admin's request while PENDING, RESERVED or PAID: 200 once CANCELLED, 202 while a paid one is refunded first; emits com.ecom.order.cancelled (or asks for the refund).",
  trigger: { kind: 'http', routes: [cancelOrderRoute] },
  uses: { database: true, events: true },
  capacity: {
    concurrency: 64,
    throughput: 166,
    p99Ms: 479.9,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only cancel-order',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 3 },
});
