import { z } from 'zod';
import {
  categoryNotFound,
  categoryTree,
  categoryView,
  type CategoryNode,
  type CategoryWithChildren,
  unknownCategory,
} from '../../../shared/domain/product/category';
import { PageQuery, type Page } from '../../../shared/domain/pagination';
import {
  productNotFound,
  ProductStatus,
  productView,
  type ProductView,
} from '../../../shared/domain/product/product';
import type { CategoryRepository, ProductRepository } from '../../../shared/domain/product/product-ports';
import {
  assertSearchable,
  INNODB_INDEXED_WORDS,
  ProductSort,
  searchTerms,
} from '../../../shared/domain/product/product-search';
import type { Principal } from '../../../shared/domain/user/roles';
import { AppError } from '../../../shared/errors/app-error';

/** Digits only, as in PageQuery: `Number()` alone would also take `1e2` or `0x10`. */
const minorUnits = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a whole number of minor units')
  .transform(Number);

/** `GET /v1/products`: a search and its filters. Other query parameters (a cache buster) are ignored. */
export const ProductListQuery = PageQuery.extend({
  // Not trimmed: a trailing space says the last word is complete (searchTerms).
  q: z.string().max(200).optional(),
  categoryId: z.uuid().optional(),
  minPrice: minorUnits.optional(),
  maxPrice: minorUnits.optional(),
  inStock: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  status: ProductStatus.optional(),
  sort: ProductSort.default('-createdAt'),
}).refine(
  (query) => query.minPrice === undefined || query.maxPrice === undefined || query.minPrice <= query.maxPrice,
  {
    message: 'minPrice must not be above maxPrice',
    path: ['minPrice'],
  },
);
export type ProductListQuery = z.infer<typeof ProductListQuery>;

export interface CatalogueReads {
  readonly products: ProductRepository;
  readonly categories: CategoryRepository;
}

const isAdmin = (caller: Principal | undefined) => caller?.role === 'admin';

/**
 * The catalogue page a caller asked for. Everyone sees active products; only admins may ask for another status.
 * A category filter takes its whole subtree.
 */
export async function listProducts(
  reads: CatalogueReads,
  query: ProductListQuery,
  caller: Principal | undefined,
): Promise<Page<ProductView>> {
  if (query.status !== undefined && query.status !== 'active' && !isAdmin(caller)) {
    throw new AppError('forbidden', 'AUTH.FORBIDDEN', 'Only admins can list products that are not active.');
  }
  const terms = searchTerms(query.q ?? '');
  assertSearchable(terms, INNODB_INDEXED_WORDS);
  const { items, total } = await reads.products.search({
    terms,
    ...(query.categoryId !== undefined ? { categoryId: query.categoryId } : {}),
    ...(query.minPrice !== undefined ? { minPrice: query.minPrice } : {}),
    ...(query.maxPrice !== undefined ? { maxPrice: query.maxPrice } : {}),
    ...(query.inStock !== undefined ? { inStock: query.inStock } : {}),
    statuses: query.status ? [query.status] : isAdmin(caller) ? ProductStatus.options : ['active'],
    sort: query.sort,
    page: query.page,
    pageSize: query.pageSize,
  });
  // Only a search that found nothing asks whether its category exists: a search is one query, not two.
  if (total === 0 && query.categoryId !== undefined && !(await reads.categories.findById(query.categoryId))) {
    throw unknownCategory('categoryId');
  }
  return { items: items.map(productView), page: query.page, pageSize: query.pageSize, total };
}

/** One product; one that is not active is shown to admins only (404 to everyone else, as a deleted one). */
export async function getProduct(
  products: ProductRepository,
  id: string,
  caller: Principal | undefined,
): Promise<ProductView> {
  const product = await products.findById(id);
  if (!product || (product.status !== 'active' && !isAdmin(caller))) throw productNotFound();
  return productView(product);
}

/** The whole category tree. */
export async function listCategories(categories: CategoryRepository): Promise<readonly CategoryNode[]> {
  return categoryTree(await categories.all());
}

/** One category, with its direct subcategories. */
export async function getCategory(categories: CategoryRepository, id: string): Promise<CategoryWithChildren> {
  const all = await categories.all();
  const category = all.find((candidate) => candidate.id === id);
  if (!category) throw categoryNotFound();
  const children = all
    .filter((candidate) => candidate.parentId === id)
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { ...categoryView(category), children: children.map(categoryView) };
}
