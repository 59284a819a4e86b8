// update-product: PATCH /v1/products/{id} -> 200 with the product (admins only).
import { productView } from '../../../shared/domain/product/product';
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { productStores } from '../product-stores';
import { definition, updateProductRoute } from './function';
import { updateProduct } from './use-case';

registerHttp(definition, ({ config, stores }) => {
  const { products } = productStores(stores);
  return [
    defineRoute({
      route: updateProductRoute,
      async handle({ params, body }) {
        const deps = {
          products: await products(),
          now: () => new Date(),
          currencies: config.PRODUCT_CURRENCIES,
        };
        return { status: 200, body: productView(await updateProduct(deps, params.id, body)) };
      },
    }),
  ];
});
