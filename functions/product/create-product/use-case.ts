import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { assertAcceptedCurrency, Money } from '../../../shared/domain/product/money';
import {
  ImageUrl,
  ProductDescription,
  ProductName,
  ProductStatus,
  ReorderLevel,
  Sku,
  type Product,
} from '../../../shared/domain/product/product';
import { productCreatedEvent } from '../../../shared/domain/product/product-events';
import type { ProductRepository } from '../../../shared/domain/product/product-ports';

/** A new product. Unknown fields are refused, never ignored. */
export const CreateProductInput = z
  .object({
    sku: Sku,
    name: ProductName,
    description: ProductDescription.default(''),
    price: Money,
    categoryId: z.uuid().nullable().default(null),
    imageUrl: ImageUrl.nullable().default(null),
    status: ProductStatus.default('draft'),
    reorderLevel: ReorderLevel.default(0),
  })
  .strict();
export type CreateProductInput = z.infer<typeof CreateProductInput>;

export interface CreateProductDeps {
  readonly products: ProductRepository;
  readonly now: () => Date;
  readonly currencies: readonly string[];
}

/** Adds a product (with no stock yet) and records `com.ecom.product.created`, atomically. */
export async function createProduct(deps: CreateProductDeps, input: CreateProductInput): Promise<Product> {
  assertAcceptedCurrency(input.price.currency, deps.currencies);
  const now = deps.now();
  const product: Product = { id: randomUUID(), ...input, createdAt: now, updatedAt: now };
  await deps.products.insert(product, [productCreatedEvent(product)]);
  return product;
}
