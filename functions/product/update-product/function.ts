import { ProductPriceChanged } from '../../../events/product-price-changed';
import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { ProductIdParams, ProductView } from '../../../shared/domain/product/product';
import { CurrencyEnv } from '../product-config';
import { productService } from '../service';
import { UpdateProductInput } from './use-case';

export const updateProductRoute = httpRoute({
  method: 'PATCH',
  path: '/v1/products/{id}',
  auth: 'admin',
  summary: 'Changes any fields of a product; `null` clears an optional one.',
  params: ProductIdParams,
  body: UpdateProductInput,
  responses: { 200: { description: 'The product as it now is.', body: ProductView } },
  problems: {
    400: ['CATEGORY.NOT_FOUND', 'PRODUCT.CURRENCY_NOT_ACCEPTED'],
    404: ['PRODUCT.NOT_FOUND'],
    409: ['PRODUCT.SKU_TAKEN'],
  },
});

export const definition = defineFunction({
  name: 'update-product',
  service: productService,
  description: 'Admin only: changes a product; a new price emits com.ecom.product.price-changed.',
  trigger: { kind: 'http', routes: [updateProductRoute] },
  uses: { database: true, events: [ProductPriceChanged] },
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
