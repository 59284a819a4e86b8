import type { ProductServiceDefinition } from '../../proto/generated/ecom/product/v1/ProductService';
import type { QuotedProduct } from '../../shared/domain/order/order';
import type { Catalog } from '../../shared/domain/order/order-ports';
import type { GrpcClient } from '../../shared/grpc/grpc-client';

/** The catalogue port over product-grpc's QuoteItems, asked with the customer's own token. */
export function productGrpcCatalog(
  client: () => Promise<GrpcClient<ProductServiceDefinition>>,
  call: { readonly requestId?: string; readonly traceparent?: string } = {},
): Catalog {
  return {
    async quote(items, authorization) {
      const answer = await (
        await client()
      ).call(
        'QuoteItems',
        { items: items.map((item) => ({ productId: item.productId, quantity: item.quantity })) },
        { ...call, authorization },
      );
      return new Map(
        answer.lines.flatMap((line): [string, QuotedProduct][] =>
          line.found && line.unitPrice
            ? [
                [
                  line.productId,
                  {
                    productId: line.productId,
                    sku: line.sku,
                    name: line.name,
                    unitPrice: { amount: line.unitPrice.amount, currency: line.unitPrice.currency },
                    sellable: line.active,
                  },
                ],
              ]
            : [],
        ),
      );
    },
  };
}
