import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { orderService } from '../service';

/** An admin hands a paid order to a carrier. */
export const shipmentRoute: HttpRoute = { method: 'POST', path: '/v1/orders/{id}/shipment', auth: 'admin' };

/** An admin records that a shipped order arrived. */
export const deliveryRoute: HttpRoute = { method: 'POST', path: '/v1/orders/{id}/delivery', auth: 'admin' };

export const definition = defineFunction({
  name: 'ship-order',
  service: orderService,
  description:
    'Admins ship a PAID order with its carrier and tracking number (SHIPPED, emits com.ecom.order.shipped, which takes its units out of the stock) and record its delivery (DELIVERED, emits com.ecom.order.delivered).',
  trigger: { kind: 'http', routes: [shipmentRoute, deliveryRoute] },
  uses: { database: true, events: true },
  capacity: {
    concurrency: 32,
    throughput: 131,
    p99Ms: 403.3,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only ship-order',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 3 },
});
