import { RefundRequested } from '../../../events/payment-events';
import { OrderChanged } from '../../../events/order-events';
import { OrderCancelled } from '../../../events/order-cancelled';
import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { OrderView } from '../../../shared/domain/order/order';
import { OrderIdParams } from '../order-query/use-case';
import { orderService } from '../service';

/** A customer cancels their own order, an admin anyone's, while it is not shipped. */
export const cancelOrderRoute = httpRoute({
  method: 'POST',
  path: '/v1/orders/{id}/cancel',
  auth: 'authenticated',
  summary:
    "Cancels an order of the caller (an admin: anyone's) while PENDING, RESERVED or PAID; a paid one once its charge is refunded.",
  params: OrderIdParams,
  responses: {
    200: {
      description: 'The order, CANCELLED (its stock released), or as it was if already cancelled.',
      body: OrderView,
    },
    202: {
      description: 'The order, CANCELLING: a paid one is CANCELLED once its refund is back.',
      body: OrderView,
    },
  },
  problems: { 404: ['ORDER.NOT_FOUND'], 409: ['ORDER.WRONG_STATUS'] },
});

export const definition = defineFunction({
  name: 'cancel-order',
  service: orderService,
  description:
    "Cancels an order at its customer's or an admin's request while PENDING, RESERVED or PAID: 200 once CANCELLED, 202 while a paid one is refunded first; emits com.ecom.order.cancelled (or asks for the refund).",
  trigger: { kind: 'http', routes: [cancelOrderRoute] },
  uses: { database: true, events: [OrderCancelled, RefundRequested, OrderChanged] },
  capacity: {
    concurrency: 64,
    throughput: 166,
    p99Ms: 479.9,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only cancel-order',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 3 },
});
