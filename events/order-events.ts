import { z } from 'zod';
import { defineEvent } from './event-definition';
import { EventMoney } from './money';

const at = z.iso.datetime({ offset: true });

/** Why an order was cancelled: by its customer or an admin, or by the saga. */
export const CancellationReason = z.enum([
  'CUSTOMER_REQUEST',
  'ADMIN_REQUEST',
  'OUT_OF_STOCK',
  'PAYMENT_DECLINED',
  'EXPIRED',
]);
export type CancellationReason = z.infer<typeof CancellationReason>;

/** An order was paid. Consumers: notify. */
export const OrderPaid = defineEvent({
  type: 'com.ecom.order.paid',
  source: '/ecom/order/capture-payment',
  description: 'An order was paid; it waits to be shipped.',
  data: z.object({ orderId: z.uuid(), amount: EventMoney, paidAt: at }).strict(),
});
export type OrderPaidData = z.infer<typeof OrderPaid.data>;

/** An order reached its customer. Consumers: notify. */
export const OrderDelivered = defineEvent({
  type: 'com.ecom.order.delivered',
  source: '/ecom/order/ship-order',
  description: 'An order was delivered to its customer.',
  data: z.object({ orderId: z.uuid(), deliveredAt: at }).strict(),
});
export type OrderDeliveredData = z.infer<typeof OrderDelivered.data>;

/**
 * An order went through a step of its life: placed, or a step of the saga (stock, payment, cancel, expire, ship,
 * deliver), with the status it left the order in. Written with every change, in its transaction. Consumers:
 * record-order-timeline (the order's timeline).
 */
export const OrderChanged = defineEvent({
  type: 'com.ecom.order.changed',
  source: '/ecom/order/advance-order',
  description: 'An order went through a step; the entry of its timeline.',
  data: z
    .object({
      orderId: z.uuid(),
      step: z.string().regex(/^[a-z][a-z-]{0,39}$/),
      status: z.string().regex(/^[A-Z]{1,20}$/),
      detail: z.string().max(500),
      changedAt: at,
    })
    .strict(),
});
export type OrderChangedData = z.infer<typeof OrderChanged.data>;
