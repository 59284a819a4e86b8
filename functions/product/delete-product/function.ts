import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { productService } from '../service';

export const deleteProductRoute: HttpRoute = { method: 'DELETE', path: '/v1/products/{id}', auth: 'admin' };

export const definition = defineFunction({
  name: 'delete-product',
  service: productService,
  description:
    'Admin only: removes a product from the catalogue (orders keep their lines); emits com.ecom.product.deleted.',
  trigger: { kind: 'http', routes: [deleteProductRoute] },
  uses: { database: true, events: true },
  capacity: {
    concurrency: 8,
    throughput: 272,
    p99Ms: 64.7,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only delete-product',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 2 },
});
