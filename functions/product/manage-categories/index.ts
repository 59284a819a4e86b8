// manage-categories: POST /v1/categories, PATCH and DELETE /v1/categories/{id} (admins only).
import { CategoryIdParams, categoryView } from '../../../shared/domain/product/category';
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { productStores } from '../product-stores';
import { createCategoryRoute, definition, deleteCategoryRoute, updateCategoryRoute } from './function';
import {
  createCategory,
  CreateCategoryInput,
  deleteCategory,
  updateCategory,
  UpdateCategoryInput,
} from './use-case';

registerHttp(definition, ({ stores }) => {
  const { categories } = productStores(stores);
  const deps = async () => ({ categories: await categories(), now: () => new Date() });
  return [
    defineRoute<CreateCategoryInput>({
      route: createCategoryRoute,
      body: CreateCategoryInput,
      async handle({ body }) {
        const category = await createCategory(await deps(), body);
        return {
          status: 201,
          body: categoryView(category),
          headers: { location: `/v1/categories/${category.id}` },
        };
      },
    }),
    defineRoute<UpdateCategoryInput, undefined, CategoryIdParams>({
      route: updateCategoryRoute,
      params: CategoryIdParams,
      body: UpdateCategoryInput,
      handle: async ({ params, body }) => ({
        status: 200,
        body: categoryView(await updateCategory(await deps(), params.id, body)),
      }),
    }),
    defineRoute<undefined, undefined, CategoryIdParams>({
      route: deleteCategoryRoute,
      params: CategoryIdParams,
      async handle({ params }) {
        await deleteCategory(await deps(), params.id);
        return { status: 204 };
      },
    }),
  ];
});
