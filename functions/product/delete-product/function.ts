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
  scaling: { maxScale: 2 },
});
