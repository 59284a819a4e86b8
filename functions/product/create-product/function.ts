import { ProductCreated } from '../../../events/product-created';
import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { ProductView } from '../../../shared/domain/product/product';
import { CurrencyEnv } from '../product-config';
import { productService } from '../service';
import { CreateProductInput } from './use-case';

export const createProductRoute = httpRoute({
  method: 'POST',
  path: '/v1/products',
  auth: 'admin',
  summary:
    'Adds a product to the catalogue (a draft unless `status` says otherwise), priced in whole minor units of an accepted currency.',
  body: CreateProductInput,
  responses: {
    201: {
      description: 'The new product, with no stock yet.',
      body: ProductView,
      headers: { location: 'The new product: `/v1/products/{id}`.' },
    },
  },
  problems: {
    400: ['CATEGORY.NOT_FOUND', 'PRODUCT.CURRENCY_NOT_ACCEPTED'],
    409: ['PRODUCT.SKU_TAKEN'],
  },
});

export const definition = defineFunction({
  name: 'create-product',
  service: productService,
  description: 'Admin only: adds a product to the catalogue and emits com.ecom.product.created.',
  trigger: { kind: 'http', routes: [createProductRoute] },
  uses: { database: true, events: [ProductCreated] },
  env: [CurrencyEnv],
  capacity: {
    concurrency: 8,
    throughput: 283,
    p99Ms: 56.0,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only create-product',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 3 },
});
