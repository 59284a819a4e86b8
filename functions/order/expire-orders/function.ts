import { OrderChanged } from '../../../events/order-events';
import { OrderCancelled } from '../../../events/order-cancelled';
import { z } from 'zod';
import { defineFunction } from '../../../shared/kit/function-definition';
import { orderService } from '../service';

/** How long an order may wait for its stock and payment before the sweep cancels it. */
export const ExpiryEnv = z.object({
  ORDER_PAYMENT_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(30),
});

export const definition = defineFunction({
  name: 'expire-orders',
  service: orderService,
  description:
    'The expiry sweep, every 5 minutes: orders still PENDING or RESERVED after ORDER_PAYMENT_WINDOW_MINUTES are CANCELLED as EXPIRED (a compare-and-set, so a payment that lands first wins), which releases their stock.',
  trigger: { kind: 'schedule', schedule: '*/5 * * * *' },
  uses: { database: true, events: [OrderCancelled, OrderChanged] },
  env: [ExpiryEnv],
  capacity: {
    concurrency: 1,
    byConstruction: 'One sweep at a time: a second would only race the first for the same orders.',
  },
  scaling: { maxScale: 1 },
});
