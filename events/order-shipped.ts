import { z } from 'zod';
import { defineEvent } from './event-definition';

/** An order was shipped: its reserved units leave the stock. Consumers: reserve-inventory. */
export const OrderShipped = defineEvent({
  type: 'com.ecom.order.shipped',
  source: '/ecom/order/ship-order',
  description: 'An order was shipped; its reserved stock is taken out of the stock on hand.',
  data: z.object({ orderId: z.uuid(), shippedAt: z.iso.datetime({ offset: true }) }).strict(),
});
export type OrderShippedData = z.infer<typeof OrderShipped.data>;
