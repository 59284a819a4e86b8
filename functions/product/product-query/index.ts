// product-query: GET /v1/products (search), GET /v1/products/{id}, GET /v1/categories, GET /v1/categories/{id}.
import { registerHttp } from '../../../shared/kit/register';
import { cachedRead } from '../../../shared/runtime/cached-read';
import { defineRoute } from '../../../shared/runtime/http-function';
import { productStores } from '../product-stores';
import {
  definition,
  getCategoryRoute,
  getProductRoute,
  listCategoriesRoute,
  listProductsRoute,
} from './function';
import { getCategory, getProduct, listCategories, listProducts } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { products, categories } = productStores(stores);
  return [
    defineRoute({
      route: listProductsRoute,
      async handle(context) {
        const reads = { products: await products(), categories: await categories() };
        return cachedRead(context, await listProducts(reads, context.query, context.principal));
      },
    }),
    defineRoute({
      route: getProductRoute,
      handle: async (context) =>
        cachedRead(context, await getProduct(await products(), context.params.id, context.principal)),
    }),
    defineRoute({
      route: listCategoriesRoute,
      handle: async (context) => cachedRead(context, await listCategories(await categories())),
    }),
    defineRoute({
      route: getCategoryRoute,
      handle: async (context) =>
        cachedRead(context, await getCategory(await categories(), context.params.id)),
    }),
  ];
});
