import { defineFunction } from '../../../shared/kit/function-definition';
import { productService } from '../service';

export const PRODUCT_GRPC_SERVICE = 'ecom.product.v1.ProductService';

export const definition = defineFunction({
  name: 'product-grpc',
  service: productService,
  description:
    'The product service over gRPC (GetProduct, ListProducts, QuoteItems, GetStock) with the standard health service.',
  trigger: { kind: 'grpc', proto: 'product.proto', services: [PRODUCT_GRPC_SERVICE] },
  uses: { database: true },
  // place-order quotes every order here: many calls per instance, each two indexed reads.
  scaling: { maxScale: 5, target: 50, containerConcurrency: 100 },
});
