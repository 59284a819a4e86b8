import { productNotFound } from '../../../shared/domain/product/product';
import { productDeletedEvent } from '../../../shared/domain/product/product-events';
import type { ProductRepository } from '../../../shared/domain/product/product-ports';

export interface DeleteProductDeps {
  readonly products: ProductRepository;
  readonly now: () => Date;
}

/**
 * Removes a product from the catalogue: it answers 404 and leaves every listing, while orders that hold it keep
 * their lines (the row stays). A second delete is a 404.
 */
export async function deleteProduct(deps: DeleteProductDeps, id: string): Promise<void> {
  const now = deps.now();
  const removed = await deps.products.remove(id, now, (current) => [productDeletedEvent(current, now)]);
  if (!removed) throw productNotFound();
}
