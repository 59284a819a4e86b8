import { defineFunction } from '../../../shared/kit/function-definition';
import { productService } from '../service';

export const PRODUCT_GRPC_SERVICE = 'ecom.product.v1.ProductService';

export const definition = defineFunction({
  name: 'product-grpc',
  service: productService,
  description:
    'The product service over gRPC (GetProduct, ListProducts, QuoteItems, GetStock) with the standard health service.',
  trigger: { kind: 'grpc', proto: 'product.proto', services: [PRODUCT_GRPC_SERVICE] },
  uses: { database: true },
  // place-order quotes every order here: each call two indexed reads.
  capacity: {
    concurrency: 64,
    throughput: 971,
    p99Ms: 119.6,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only product-grpc',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 5 },
});
