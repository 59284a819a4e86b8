import { z } from 'zod';
import { defineFunction } from '../../../shared/kit/function-definition';
import { PUBLIC_READ_MAX_AGE_S } from '../../../shared/runtime/cached-read';
import { httpRoute, type RouteResponse } from '../../../shared/runtime/function-definition';
import { pageOf } from '../../../shared/domain/pagination';
import {
  CategoryIdParams,
  CategoryNode,
  CategoryWithChildren,
} from '../../../shared/domain/product/category';
import { ProductIdParams, ProductView } from '../../../shared/domain/product/product';
import { productService } from '../service';
import { ProductListQuery } from './use-case';

// Every read here is a cached read (shared/runtime/cached-read.ts): an ETag, and 304 to a request that names it.
const ifNoneMatch = {
  'If-None-Match': {
    description: 'ETags of copies the caller holds; the answer is 304, with no body, when one is current.',
    schema: z.string(),
  },
};
const publicCache = `\`public, max-age=${String(PUBLIC_READ_MAX_AGE_S)}\``;

function cachedResponses(
  description: string,
  body: z.ZodType,
  cacheControl: string,
): Record<200 | 304, RouteResponse> {
  const headers = { etag: 'A strong ETag of the body, for `If-None-Match`.', 'cache-control': cacheControl };
  return {
    200: { description, body, headers },
    304: { description: 'Not modified: the copy named by `If-None-Match` is current.', headers },
  };
}

// Public reads; a caller's token, when sent, shows admins the products that are not active.
const callerCache = `${publicCache} to an anonymous caller, \`no-store\` to one who sent a token.`;
export const listProductsRoute = httpRoute({
  method: 'GET',
  path: '/v1/products',
  auth: 'public',
  sharedCache: true,
  readsCaller: true,
  summary:
    'Searches and filters the catalogue, paged; only admins see products that are not active, or ask for a `status`.',
  query: ProductListQuery,
  headers: ifNoneMatch,
  responses: cachedResponses('A page of products.', pageOf(ProductView), callerCache),
  problems: {
    400: ['CATEGORY.NOT_FOUND', 'PRODUCT.SEARCH_TOO_VAGUE'],
    403: ['AUTH.FORBIDDEN'],
  },
});
export const getProductRoute = httpRoute({
  method: 'GET',
  path: '/v1/products/{id}',
  auth: 'public',
  sharedCache: true,
  readsCaller: true,
  summary: 'One product; one that is not active is shown to admins only.',
  params: ProductIdParams,
  headers: ifNoneMatch,
  responses: cachedResponses('The product.', ProductView, callerCache),
  problems: { 404: ['PRODUCT.NOT_FOUND'] },
});
export const listCategoriesRoute = httpRoute({
  method: 'GET',
  path: '/v1/categories',
  auth: 'public',
  sharedCache: true,
  summary: 'The whole category tree, each level by name.',
  headers: ifNoneMatch,
  responses: cachedResponses(
    'The top-level categories, each with its subtree.',
    z.array(CategoryNode),
    `${publicCache}.`,
  ),
});
export const getCategoryRoute = httpRoute({
  method: 'GET',
  path: '/v1/categories/{id}',
  auth: 'public',
  sharedCache: true,
  summary: 'One category, with its direct subcategories.',
  params: CategoryIdParams,
  headers: ifNoneMatch,
  responses: cachedResponses('The category.', CategoryWithChildren, `${publicCache}.`),
  problems: { 404: ['CATEGORY.NOT_FOUND'] },
});

export const definition = defineFunction({
  name: 'product-query',
  service: productService,
  description: 'Reads the catalogue: product search and filters, a product, and the category tree.',
  trigger: {
    kind: 'http',
    routes: [listProductsRoute, getProductRoute, listCategoriesRoute, getCategoryRoute],
  },
  uses: { database: true },
  // The busiest function of the shop: reads only, the most instances.
  capacity: {
    concurrency: 8,
    throughput: 63,
    p99Ms: 194.4,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only product-query',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 10 },
});
