// product-grpc: the product service's synchronous API for the other services (proto/product.proto), over the same
// use cases as the HTTP reads. place-order quotes its lines here.
import { z } from 'zod';
import { ProductIdParams, type ProductView } from '../../../shared/domain/product/product';
import { unaryService } from '../../../shared/grpc/grpc-service';
import { protoQuery } from '../../../shared/grpc/proto-query';
import { unary } from '../../../shared/grpc/unary-method';
import { registerGrpc } from '../../../shared/kit/register';
import { stockLevels } from '../adjust-inventory/use-case';
import { productStores } from '../product-stores';
import { getProduct, listProducts, ProductListQuery } from '../product-query/use-case';
import { definition, PRODUCT_GRPC_SERVICE } from './function';
import { quoteItems, QuoteItemsRequest } from './use-case';

/** A product as the proto's message: empty strings where the API has null (proto3 has no null). */
function toMessage(product: ProductView) {
  return { ...product, categoryId: product.categoryId ?? '', imageUrl: product.imageUrl ?? '' };
}

const ListProductsRequest = protoQuery(
  {
    q: z.string(),
    categoryId: z.string(),
    minPrice: z.number().int().min(0),
    maxPrice: z.number().int().min(0),
    inStock: z.boolean(),
    status: z.string(),
    sort: z.string(),
  },
  ProductListQuery,
);

registerGrpc(definition, ({ stores, verify, logger }, proto) => {
  const { products, categories, inventory } = productStores(stores);
  return [
    unaryService({
      proto,
      name: PRODUCT_GRPC_SERVICE,
      verify,
      logger,
      methods: {
        GetProduct: unary({
          auth: 'public',
          request: ProductIdParams,
          handle: async ({ id }, { principal }) =>
            toMessage(await getProduct(await products(), id, principal)),
        }),
        ListProducts: unary({
          auth: 'public',
          request: ListProductsRequest,
          handle: async (query, { principal }) => {
            const reads = { products: await products(), categories: await categories() };
            const page = await listProducts(reads, query, principal);
            return { ...page, items: page.items.map(toMessage) };
          },
        }),
        QuoteItems: unary({
          auth: 'authenticated',
          request: QuoteItemsRequest,
          handle: async (request) => ({
            lines: await quoteItems({ products: await products(), inventory: await inventory() }, request),
          }),
        }),
        GetStock: unary({
          auth: 'admin',
          request: z.object({ productId: z.uuid() }),
          handle: async ({ productId }) => stockLevels(await inventory(), productId),
        }),
      },
    }),
  ];
});
