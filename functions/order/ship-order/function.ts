import { OrderChanged, OrderDelivered } from '../../../events/order-events';
import { OrderShipped } from '../../../events/order-shipped';
import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { OrderView } from '../../../shared/domain/order/order';
import { OrderIdParams } from '../order-query/use-case';
import { orderService } from '../service';
import { ShipmentInput } from './use-case';

/** An admin hands a paid order to a carrier. */
export const shipmentRoute = httpRoute({
  method: 'POST',
  path: '/v1/orders/{id}/shipment',
  auth: 'admin',
  summary: 'Hands a PAID order to its carrier: SHIPPED, and its units leave the stock.',
  params: OrderIdParams,
  body: ShipmentInput,
  responses: { 200: { description: 'The order, SHIPPED.', body: OrderView } },
  problems: { 404: ['ORDER.NOT_FOUND'], 409: ['ORDER.WRONG_STATUS'] },
});

/** An admin records that a shipped order arrived. */
export const deliveryRoute = httpRoute({
  method: 'POST',
  path: '/v1/orders/{id}/delivery',
  auth: 'admin',
  summary: 'Records that a SHIPPED order reached its customer: DELIVERED.',
  params: OrderIdParams,
  responses: { 200: { description: 'The order, DELIVERED.', body: OrderView } },
  problems: { 404: ['ORDER.NOT_FOUND'], 409: ['ORDER.WRONG_STATUS'] },
});

export const definition = defineFunction({
  name: 'ship-order',
  service: orderService,
  description:
    'Admins ship a PAID order with its carrier and tracking number (SHIPPED, emits com.ecom.order.shipped, which takes its units out of the stock) and record its delivery (DELIVERED, emits com.ecom.order.delivered).',
  trigger: { kind: 'http', routes: [shipmentRoute, deliveryRoute] },
  uses: { database: true, events: [OrderShipped, OrderDelivered, OrderChanged] },
  capacity: {
    concurrency: 32,
    throughput: 131,
    p99Ms: 403.3,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only ship-order',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 3 },
});
