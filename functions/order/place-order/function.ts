import { OrderChanged } from '../../../events/order-events';
import { OrderPlaced } from '../../../events/order-placed';
import { defineFunction } from '../../../shared/kit/function-definition';
import { ProductGrpcEnv } from '../../../shared/grpc/product-grpc-client';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { OrderView, PlaceOrderInput } from '../../../shared/domain/order/order';
import { OrderLimitsEnv } from '../order-config';
import { IDEMPOTENCY_KEY_DAYS, orderService } from '../service';
import { IdempotencyKeyHeader } from './use-case';

const location = 'The order: `/v1/orders/{id}`.';

export const placeOrderRoute = httpRoute({
  method: 'POST',
  path: '/v1/orders',
  auth: 'authenticated',
  summary:
    'Places an order, PENDING, priced from the catalogue (never by the client); an `Idempotency-Key` makes a retry safe.',
  body: PlaceOrderInput,
  headers: {
    'Idempotency-Key': {
      description: `The caller's own key for this order (a UUID is a good one): the same request again answers the same order, never a second. A key is kept for ${String(IDEMPOTENCY_KEY_DAYS)} days; after that it places a new order.`,
      schema: IdempotencyKeyHeader,
    },
  },
  responses: {
    201: { description: 'The new order, PENDING.', body: OrderView, headers: { location } },
    200: {
      description: 'The order an earlier request with the same `Idempotency-Key` made.',
      body: OrderView,
      headers: { location },
    },
  },
  problems: {
    409: ['ORDER.IDEMPOTENCY_KEY_REUSED'],
    422: ['ORDER.MIXED_CURRENCIES', 'ORDER.PRODUCT_UNAVAILABLE'],
  },
});

export const definition = defineFunction({
  name: 'place-order',
  service: orderService,
  description:
    'Places an order priced by product-grpc (QuoteItems), PENDING, and emits com.ecom.order.placed; an Idempotency-Key makes a retry safe.',
  trigger: { kind: 'http', routes: [placeOrderRoute] },
  uses: { database: true, events: [OrderPlaced, OrderChanged] },
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
