import { InventoryAdjusted, InventoryLow } from '../../../events/inventory-events';
import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { PageQuery, pageOf } from '../../../shared/domain/pagination';
import { AdjustmentInput, LevelsView } from '../../../shared/domain/product/inventory';
import { ProductIdParams } from '../../../shared/domain/product/product';
import { MovementView } from '../../../shared/domain/product/stock-ledger';
import { productService, STOCK_LEDGER } from '../service';

export const adjustInventoryRoute = httpRoute({
  method: 'POST',
  path: '/v1/products/{id}/inventory/adjustments',
  auth: 'admin',
  summary:
    "Changes a product's stock on hand: restock and return add, shrinkage takes away, correction either way.",
  params: ProductIdParams,
  body: AdjustmentInput,
  responses: { 200: { description: 'The new stock levels.', body: LevelsView } },
  problems: { 404: ['PRODUCT.NOT_FOUND'], 409: ['INVENTORY.BELOW_RESERVED', 'INVENTORY.TOO_MANY'] },
});

export const inventoryRoute = httpRoute({
  method: 'GET',
  path: '/v1/products/{id}/inventory',
  auth: 'admin',
  summary: "A product's stock levels: on hand, reserved for orders, and available.",
  params: ProductIdParams,
  responses: { 200: { description: 'The stock levels now.', body: LevelsView } },
  problems: { 404: ['PRODUCT.NOT_FOUND'] },
});
export const movementsRoute = httpRoute({
  method: 'GET',
  path: '/v1/products/{id}/inventory/movements',
  auth: 'admin',
  summary: "A product's stock ledger, newest first, paged; each change shows moments after it was made.",
  params: ProductIdParams,
  query: PageQuery,
  responses: { 200: { description: 'A page of stock movements.', body: pageOf(MovementView) } },
  problems: { 404: ['PRODUCT.NOT_FOUND'] },
});

export const definition = defineFunction({
  name: 'adjust-inventory',
  service: productService,
  description:
    "Admin only: a product's stock levels and ledger, and changes of its stock on hand (restock, shrinkage, correction, return; emits com.ecom.inventory.adjusted).",
  trigger: { kind: 'http', routes: [inventoryRoute, movementsRoute, adjustInventoryRoute] },
  uses: { database: true, events: [InventoryAdjusted, InventoryLow], histories: [STOCK_LEDGER] },
  capacity: {
    concurrency: 32,
    throughput: 205,
    p99Ms: 216.6,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only adjust-inventory',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 2 },
});
