import { defineFunction } from '../../../shared/kit/function-definition';
import { orderService } from '../service';

export const ORDER_GRPC_SERVICE = 'ecom.order.v1.OrderService';

export const definition = defineFunction({
  name: 'order-grpc',
  service: orderService,
  description: 'The order service over gRPC (GetOrder, ListOrders) with the standard health service.',
  trigger: { kind: 'grpc', proto: 'order.proto', services: [ORDER_GRPC_SERVICE] },
  uses: { database: true },
  capacity: {
    concurrency: 8,
    throughput: 792,
    p99Ms: 42.4,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only order-grpc',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 5 },
});
