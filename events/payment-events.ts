import { z } from 'zod';
import { defineEvent } from './event-definition';
import { EventMoney } from './money';

const at = z.iso.datetime({ offset: true });
const source = '/ecom/order/capture-payment';

/**
 * An order's total was charged; stored with the order's PAID (or its refund request, when it ended meanwhile).
 * No function of this shop consumes it: it tells other systems. Never carries the payment token.
 */
export const PaymentCaptured = defineEvent({
  type: 'com.ecom.payment.captured',
  source,
  description: "An order's total was charged.",
  data: z
    .object({ orderId: z.uuid(), amount: EventMoney, reference: z.string().min(1), capturedAt: at })
    .strict(),
});
export type PaymentCapturedData = z.infer<typeof PaymentCaptured.data>;

/**
 * The payment gateway declined an order's charge for good; stored with the order's cancellation. No function of this
 * shop consumes it: it tells other systems.
 */
export const PaymentFailed = defineEvent({
  type: 'com.ecom.payment.failed',
  source,
  description: "The payment gateway declined an order's charge.",
  data: z.object({ orderId: z.uuid(), declineCode: z.string().min(1), failedAt: at }).strict(),
});
export type PaymentFailedData = z.infer<typeof PaymentFailed.data>;

/** A captured charge was refunded in full. Consumers: advance-order. */
export const PaymentRefunded = defineEvent({
  type: 'com.ecom.payment.refunded',
  source: '/ecom/order/refund-payment',
  description: "An order's captured charge was refunded.",
  data: z
    .object({ orderId: z.uuid(), amount: EventMoney, reference: z.string().min(1), refundedAt: at })
    .strict(),
});
export type PaymentRefundedData = z.infer<typeof PaymentRefunded.data>;

/** A captured charge is to be given back: a paid order was cancelled, or a charge landed too late. Consumers: refund-payment. */
export const RefundRequested = defineEvent({
  type: 'com.ecom.payment.refund-requested',
  source: '/ecom/order/cancel-order',
  description: 'A captured charge of an order is to be refunded.',
  data: z
    .object({ orderId: z.uuid(), amount: EventMoney, reference: z.string().min(1), requestedAt: at })
    .strict(),
});
export type RefundRequestedData = z.infer<typeof RefundRequested.data>;
