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
  // The busiest function of the shop: reads only, many per instance.
  scaling: { maxScale: 10, target: 50, containerConcurrency: 100 },
});
