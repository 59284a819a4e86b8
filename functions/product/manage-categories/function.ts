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
  capacity: {
    concurrency: 4,
    throughput: 402,
    p99Ms: 33.1,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only manage-categories',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 2 },
});
