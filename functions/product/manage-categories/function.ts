import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { productService } from '../service';

export const createCategoryRoute: HttpRoute = { method: 'POST', path: '/v1/categories', auth: 'admin' };
export const updateCategoryRoute: HttpRoute = { method: 'PATCH', path: '/v1/categories/{id}', auth: 'admin' };
export const deleteCategoryRoute: HttpRoute = {
  method: 'DELETE',
  path: '/v1/categories/{id}',
  auth: 'admin',
};

export const definition = defineFunction({
  name: 'manage-categories',
  service: productService,
  description:
    'Admin only: creates, renames, moves and deletes categories (no cycles, no deleting a used one).',
  trigger: { kind: 'http', routes: [createCategoryRoute, updateCategoryRoute, deleteCategoryRoute] },
  uses: { database: true },
  scaling: { maxScale: 2 },
});
