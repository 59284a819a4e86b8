import type {
  CategoryRepository,
  InventoryStore,
  ProductRepository,
} from '../../shared/domain/product/product-ports';
import type { ServiceStores } from '../../shared/kit/service-stores';
import { countedInventory } from './inventory-metrics';
import { sqlCategoryRepository } from './sql-category-repository';
import { sqlInventoryStore } from './sql-inventory-store';
import { sqlProductRepository } from './sql-product-repository';

/**
 * The product service's repositories over the kit's stores; each opens the database on first use. The inventory
 * counts the reservations it rejects (inventory-metrics.ts).
 */
export interface ProductStores {
  readonly products: () => Promise<ProductRepository>;
  readonly categories: () => Promise<CategoryRepository>;
  readonly inventory: () => Promise<InventoryStore>;
}

export function productStores(stores: ServiceStores): ProductStores {
  return {
    products: async () => sqlProductRepository(await stores.database()),
    categories: async () => sqlCategoryRepository(await stores.database()),
    inventory: async () => countedInventory(sqlInventoryStore(await stores.database())),
  };
}
