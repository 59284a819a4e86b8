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
  scaling: { maxScale: 5 },
});
