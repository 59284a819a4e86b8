import { defineFunction } from '../../../shared/kit/function-definition';
import { ProductGrpcEnv } from '../../../shared/grpc/product-grpc-client';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { OrderLimitsEnv } from '../order-config';
import { orderService } from '../service';

export const placeOrderRoute: HttpRoute = { method: 'POST', path: '/v1/orders', auth: 'authenticated' };

export const definition = defineFunction({
  name: 'place-order',
  service: orderService,
  description:
    'Places an order priced by product-grpc (QuoteItems), PENDING, and emits com.ecom.order.placed; an Idempotency-Key makes a retry safe.',
  trigger: { kind: 'http', routes: [placeOrderRoute] },
  uses: { database: true, events: true },
  env: [OrderLimitsEnv, ProductGrpcEnv],
  capacity: {
    concurrency: 8,
    throughput: 124,
    p99Ms: 107.7,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only place-order',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 5 },
});
