import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { CurrencyEnv } from '../product-config';
import { productService } from '../service';

export const updateProductRoute: HttpRoute = { method: 'PATCH', path: '/v1/products/{id}', auth: 'admin' };

export const definition = defineFunction({
  name: 'update-product',
  service: productService,
  description: 'Admin only: changes a product; a new price emits com.ecom.product.price-changed.',
  trigger: { kind: 'http', routes: [updateProductRoute] },
  uses: { database: true, events: true },
  env: [CurrencyEnv],
  capacity: {
    concurrency: 64,
    throughput: 294,
    p99Ms: 397.5,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only update-product',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 3 },
});
