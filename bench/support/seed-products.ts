import type { Connection } from 'mysql2/promise';

/** A live, active product as a bench needs it; the rest of its columns take plain values. */
export interface BenchProduct {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: number;
  readonly categoryId: string | null;
}

/**
 * Writes products straight into a product database in one statement: a bench's catalogue in seconds, where the API
 * would take minutes. Their inventory rows are left to the caller.
 */
export async function insertProducts(
  mysql: Connection,
  database: string,
  products: readonly BenchProduct[],
): Promise<void> {
  const now = new Date();
  await mysql.query(
    `INSERT INTO ${database}.products (id, sku, sku_key, name, description, price_amount, currency, category_id, image_url, status, reorder_level, created_at, updated_at, deleted_at) VALUES ?`,
    [
      products.map((product) => [
        product.id,
        product.sku,
        product.sku.toLowerCase(),
        product.name,
        product.description,
        product.price,
        'USD',
        product.categoryId,
        null,
        'active',
        0,
        now,
        now,
        null,
      ]),
    ],
  );
}
