// manage-categories: POST /v1/categories, PATCH and DELETE /v1/categories/{id} (admins only).
import { categoryView } from '../../../shared/domain/product/category';
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { productStores } from '../product-stores';
import { createCategoryRoute, definition, deleteCategoryRoute, updateCategoryRoute } from './function';
import { createCategory, deleteCategory, updateCategory } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { categories } = productStores(stores);
  const deps = async () => ({ categories: await categories(), now: () => new Date() });
  return [
    defineRoute({
      route: createCategoryRoute,
      async handle({ body }) {
        const category = await createCategory(await deps(), body);
        return {
          status: 201,
          body: categoryView(category),
          headers: { location: `/v1/categories/${category.id}` },
        };
      },
    }),
    defineRoute({
      route: updateCategoryRoute,
      handle: async ({ params, body }) => ({
        status: 200,
        body: categoryView(await updateCategory(await deps(), params.id, body)),
      }),
    }),
    defineRoute({
      route: deleteCategoryRoute,
      async handle({ params }) {
        await deleteCategory(await deps(), params.id);
        return { status: 204 };
      },
    }),
  ];
});
