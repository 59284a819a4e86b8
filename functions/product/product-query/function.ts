import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { productService } from '../service';

// Public reads; a caller's token, when sent, shows admins the products that are not active.
export const listProductsRoute: HttpRoute = {
  method: 'GET',
  path: '/v1/products',
  auth: 'public',
  readsCaller: true,
};
export const getProductRoute: HttpRoute = {
  method: 'GET',
  path: '/v1/products/{id}',
  auth: 'public',
  readsCaller: true,
};
export const listCategoriesRoute: HttpRoute = { method: 'GET', path: '/v1/categories', auth: 'public' };
export const getCategoryRoute: HttpRoute = { method: 'GET', path: '/v1/categories/{id}', auth: 'public' };

export const definition = defineFunction({
  name: 'product-query',
  service: productService,
  description: 'Reads the catalogue: product search and filters, a product, and the category tree.',
  trigger: {
    kind: 'http',
    routes: [listProductsRoute, getProductRoute, listCategoriesRoute, getCategoryRoute],
  },
  uses: { database: true },
  // The busiest function of the shop: reads only, the most instances.
  capacity: {
    concurrency: 8,
    throughput: 63,
    p99Ms: 194.4,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only product-query',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 10 },
});
