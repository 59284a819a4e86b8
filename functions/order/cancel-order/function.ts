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
  scaling: { maxScale: 3 },
});
