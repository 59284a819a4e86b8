import { ProductDeleted } from '../../../events/product-deleted';
import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { ProductIdParams } from '../../../shared/domain/product/product';
import { productService } from '../service';

export const deleteProductRoute = httpRoute({
  method: 'DELETE',
  path: '/v1/products/{id}',
  auth: 'admin',
  summary: 'Removes a product from the catalogue; orders that hold it keep their lines.',
  params: ProductIdParams,
  responses: { 204: { description: 'The product is gone from the catalogue.' } },
  problems: { 404: ['PRODUCT.NOT_FOUND'] },
});

export const definition = defineFunction({
  name: 'delete-product',
  service: productService,
  description:
    'Admin only: removes a product from the catalogue (orders keep their lines); emits com.ecom.product.deleted.',
  trigger: { kind: 'http', routes: [deleteProductRoute] },
  uses: { database: true, events: [ProductDeleted] },
  capacity: {
    concurrency: 8,
    throughput: 272,
    p99Ms: 64.7,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only delete-product',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 2 },
});
