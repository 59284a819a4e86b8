import { z } from 'zod';
import { defineEvent } from './event-definition';

/** A line of an order as the saga's events carry it: the product and how many units. */
export const OrderLine = z
  .object({ productId: z.uuid(), quantity: z.number().int().min(1).max(10_000) })
  .strict();

/** An order was placed: its lines wait for stock to be reserved. Consumers: reserve-inventory. */
export const OrderPlaced = defineEvent({
  type: 'com.ecom.order.placed',
  source: '/ecom/order/place-order',
  description: 'An order was placed; stock is to be reserved for its lines.',
  data: z
    .object({
      orderId: z.uuid(),
      customerId: z.uuid(),
      lines: z.array(OrderLine).min(1).max(100),
      placedAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
});
export type OrderPlacedData = z.infer<typeof OrderPlaced.data>;
