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
  scaling: { maxScale: 2, target: 10, containerConcurrency: 20 },
});
