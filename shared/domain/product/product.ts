import { z } from 'zod';
import { AppError } from '../../errors/app-error';
import { Money, MoneyView } from './money';

/** No control characters (they forge lines in mails and logs) and no bidirectional overrides. */
const PLAIN_TEXT = /^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u;
const plainText = (max: number) =>
  z.string().trim().min(1).max(max).regex(PLAIN_TEXT, 'must not contain control characters');

/** A stock-keeping unit: letters, digits, `.`, `_` and `-`, 1..64 characters; compared case-insensitively. */
export const Sku = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"');

export const ProductName = plainText(200);

/** Line breaks and tabs are allowed in a description; other control characters are not. */
export const ProductDescription = z
  .string()
  .trim()
  .max(5000)
  .regex(
    /^(?:[^\p{Cc}\u202A-\u202E\u2066-\u2069]|[\n\r\t])*$/u,
    'must not contain control characters other than line breaks and tabs',
  );

/** An https (or http) address of at most 2048 characters. */
export const ImageUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).max(2048);

export const ProductStatus = z.enum(['draft', 'active', 'archived']);
export type ProductStatus = z.infer<typeof ProductStatus>;

/** The stock level at or below which `com.ecom.inventory.low` is emitted. */
export const ReorderLevel = z.number().int().min(0).max(1_000_000_000);

/** A product as the API shows it. Prices are in minor units. */
export interface Product {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: Money;
  readonly categoryId: string | null;
  readonly imageUrl: string | null;
  readonly status: ProductStatus;
  readonly reorderLevel: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The key SKUs are unique by: `ab-1` and `AB-1` are one SKU. */
export function skuKey(sku: string): string {
  return sku.toUpperCase();
}

/** A product as the API answers it. Prices are in minor units. */
export const ProductView = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string(),
    description: z.string(),
    price: MoneyView,
    categoryId: z.uuid().nullable(),
    imageUrl: z.string().nullable(),
    status: ProductStatus,
    reorderLevel: z.number().int().min(0),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Product' });
export type ProductView = z.infer<typeof ProductView>;

export function productView(product: Product): ProductView {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    price: { amount: product.price.amount, currency: product.price.currency },
    categoryId: product.categoryId,
    imageUrl: product.imageUrl,
    status: product.status,
    reorderLevel: product.reorderLevel,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}

/** The `{id}` of a product's routes. */
export const ProductIdParams = z.object({ id: z.uuid() });
export type ProductIdParams = z.infer<typeof ProductIdParams>;

export const productNotFound = () => new AppError('not-found', 'PRODUCT.NOT_FOUND', 'No such product.');

export const skuTaken = () =>
  new AppError('conflict', 'PRODUCT.SKU_TAKEN', 'Another product already has this SKU.', [
    { field: 'sku', message: 'is taken' },
  ]);
