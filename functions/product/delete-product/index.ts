// delete-product: DELETE /v1/products/{id} -> 204 (admins only).
import { ProductIdParams } from '../../../shared/domain/product/product';
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { productStores } from '../product-stores';
import { definition, deleteProductRoute } from './function';
import { deleteProduct } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { products } = productStores(stores);
  return [
    defineRoute<undefined, undefined, ProductIdParams>({
      route: deleteProductRoute,
      params: ProductIdParams,
      async handle({ params }) {
        await deleteProduct({ products: await products(), now: () => new Date() }, params.id);
        return { status: 204 };
      },
    }),
  ];
});
