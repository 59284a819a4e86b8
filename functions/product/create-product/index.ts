// create-product: POST /v1/products -> 201 with the new product (admins only).
import { productView } from '../../../shared/domain/product/product';
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { productStores } from '../product-stores';
import { createProductRoute, definition } from './function';
import { createProduct } from './use-case';

registerHttp(definition, ({ config, stores }) => {
  const { products } = productStores(stores);
  return [
    defineRoute({
      route: createProductRoute,
      async handle({ body }) {
        const deps = {
          products: await products(),
          now: () => new Date(),
          currencies: config.PRODUCT_CURRENCIES,
        };
        const product = await createProduct(deps, body);
        return {
          status: 201,
          body: productView(product),
          headers: { location: `/v1/products/${product.id}` },
        };
      },
    }),
  ];
});
