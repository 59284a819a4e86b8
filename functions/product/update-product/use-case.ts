import { z } from 'zod';
import { assertAcceptedCurrency, Money } from '../../../shared/domain/product/money';
import {
  ImageUrl,
  ProductDescription,
  ProductName,
  ProductStatus,
  productNotFound,
  ReorderLevel,
  Sku,
  type Product,
} from '../../../shared/domain/product/product';
import { productPriceChangedEvent } from '../../../shared/domain/product/product-events';
import type { ProductRepository } from '../../../shared/domain/product/product-ports';

/** The fields to change; at least one. `null` clears an optional one. Unknown fields are refused. */
export const UpdateProductInput = z
  .object({
    sku: Sku,
    name: ProductName,
    description: ProductDescription,
    price: Money,
    categoryId: z.uuid().nullable(),
    imageUrl: ImageUrl.nullable(),
    status: ProductStatus,
    reorderLevel: ReorderLevel,
  })
  .partial()
  .strict()
  .refine((input) => Object.keys(input).length > 0, { message: 'names nothing to change' });
export type UpdateProductInput = z.infer<typeof UpdateProductInput>;

export interface UpdateProductDeps {
  readonly products: ProductRepository;
  readonly now: () => Date;
  readonly currencies: readonly string[];
}

/** Applies the changes under the product's lock; a new price is recorded as `com.ecom.product.price-changed`. */
export async function updateProduct(
  deps: UpdateProductDeps,
  id: string,
  input: UpdateProductInput,
): Promise<Product> {
  if (input.price) assertAcceptedCurrency(input.price.currency, deps.currencies);
  const now = deps.now();
  const updated = await deps.products.modify(id, (current) => {
    const next: Product = { ...current, ...input, updatedAt: now };
    const priceChanged =
      next.price.amount !== current.price.amount || next.price.currency !== current.price.currency;
    return { next, events: priceChanged ? [productPriceChangedEvent(next, current.price)] : [] };
  });
  if (!updated) throw productNotFound();
  return updated;
}
