// delete-product: DELETE /v1/products/{id} -> 204 (admins only).
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { productStores } from '../product-stores';
import { definition, deleteProductRoute } from './function';
import { deleteProduct } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { products } = productStores(stores);
  return [
    defineRoute({
      route: deleteProductRoute,
      async handle({ params }) {
        await deleteProduct({ products: await products(), now: () => new Date() }, params.id);
        return { status: 204 };
      },
    }),
  ];
});
