import {
  InventoryAdjusted,
  InventoryCommitted,
  InventoryReleased,
  InventoryReserved,
} from '../../../events/inventory-events';
import { defineFunction } from '../../../shared/kit/function-definition';
import { productService, STOCK_LEDGER } from '../service';

export const definition = defineFunction({
  name: 'record-stock-movements',
  service: productService,
  description:
    "Keeps each product's stock ledger (Cassandra): every adjustment, reservation, release and commit, from their events.",
  trigger: {
    kind: 'cloudevent',
    eventTypes: [
      InventoryAdjusted.type,
      InventoryReserved.type,
      InventoryReleased.type,
      InventoryCommitted.type,
    ],
  },
  uses: { histories: [STOCK_LEDGER] },
  capacity: {
    concurrency: 32,
    throughput: 1167,
    p99Ms: 70.3,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only record-stock-movements',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 2 },
});
