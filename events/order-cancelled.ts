import { z } from 'zod';
import { defineEvent } from './event-definition';
import { CancellationReason } from './order-events';

/** An order was cancelled: its reservation, if any, is released. Consumers: reserve-inventory, notify. */
export const OrderCancelled = defineEvent({
  type: 'com.ecom.order.cancelled',
  source: '/ecom/order/cancel-order',
  description: 'An order was cancelled; its reserved stock is freed.',
  data: z
    .object({ orderId: z.uuid(), reason: CancellationReason, cancelledAt: z.iso.datetime({ offset: true }) })
    .strict(),
});
export type OrderCancelledData = z.infer<typeof OrderCancelled.data>;
