import { PaymentRefunded, RefundRequested } from '../../../events/payment-events';
import { defineFunction } from '../../../shared/kit/function-definition';
import { orderService } from '../service';

export const definition = defineFunction({
  name: 'refund-payment',
  service: orderService,
  description:
    "Gives back an order's captured charge through the payment gateway, once per order, and emits com.ecom.payment.refunded: a paid order was cancelled, or a charge landed after its order ended.",
  trigger: { kind: 'cloudevent', eventTypes: [RefundRequested.type] },
  uses: { database: true, events: [PaymentRefunded] },
  capacity: {
    concurrency: 16,
    throughput: 226,
    p99Ms: 184.8,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only refund-payment',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 2 },
});
