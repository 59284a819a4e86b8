import { defineService } from '../../shared/kit/service-declaration';
import { PRODUCT_MIGRATIONS } from './product-migrations';

/** The stock ledger: every movement of a product's stock, newest first (Cassandra on the cluster). */
export const STOCK_LEDGER = 'stock_ledger';

/** The product service: the catalogue, its categories, and inventory with reservations, in its own database. */
export const productService = defineService({
  name: 'product',
  migrations: PRODUCT_MIGRATIONS,
  histories: [STOCK_LEDGER],
});
