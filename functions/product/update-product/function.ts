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
  scaling: { maxScale: 3 },
});
