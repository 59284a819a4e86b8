import { z } from 'zod';
import { available } from '../../../shared/domain/product/inventory';
import type { Product } from '../../../shared/domain/product/product';
import type { InventoryStore, ProductRepository } from '../../../shared/domain/product/product-ports';

/** `QuoteItems`: the lines of an order to be, 1..100, each a product id and 1..10,000 units. */
export const QuoteItemsRequest = z.object({
  items: z
    .array(z.object({ productId: z.uuid(), quantity: z.number().int().min(1).max(10_000) }))
    .min(1)
    .max(100),
});
export type QuoteItemsRequest = z.infer<typeof QuoteItemsRequest>;

/** One line's current terms; `found` false for a product that does not exist or was deleted. */
export interface Quote {
  readonly productId: string;
  readonly quantity: number;
  readonly found: boolean;
  readonly sku: string;
  readonly name: string;
  readonly unitPrice: { readonly amount: number; readonly currency: string } | null;
  readonly active: boolean;
  readonly available: number;
}

export interface QuoteReads {
  readonly products: ProductRepository;
  readonly inventory: InventoryStore;
}

/**
 * The current price, name and availability of each line, in the order asked, from two reads. The order service
 * takes its prices from here, never from the client; it decides what to do with a line that is not found, not
 * active, or short.
 */
export async function quoteItems(reads: QuoteReads, request: QuoteItemsRequest): Promise<readonly Quote[]> {
  const ids = request.items.map((item) => item.productId);
  const [products, levels] = await Promise.all([
    reads.products.findByIds(ids),
    reads.inventory.levelsOf(ids),
  ]);
  const byId = new Map<string, Product>(products.map((product) => [product.id, product]));
  return request.items.map(({ productId, quantity }) => {
    const product = byId.get(productId);
    const stock = levels.get(productId);
    if (!product) {
      return {
        productId,
        quantity,
        found: false,
        sku: '',
        name: '',
        unitPrice: null,
        active: false,
        available: 0,
      };
    }
    return {
      productId,
      quantity,
      found: true,
      sku: product.sku,
      name: product.name,
      unitPrice: { amount: product.price.amount, currency: product.price.currency },
      active: product.status === 'active',
      available: stock ? Math.max(available(stock), 0) : 0,
    };
  });
}
