// record-stock-movements: inventory events in, entries of each product's stock ledger out.
import {
  InventoryAdjusted,
  InventoryCommitted,
  InventoryReleased,
  InventoryReserved,
} from '../../../events/inventory-events';
import { registerEvents } from '../../../shared/kit/register';
import { subscribe } from '../../../shared/runtime/cloud-event-function';
import { STOCK_LEDGER } from '../service';
import { definition } from './function';
import { recordMovements } from './use-case';

registerEvents(definition, ({ stores }) => {
  const ledger = () => stores.history(STOCK_LEDGER);
  return [
    subscribe({
      event: InventoryAdjusted,
      handle: async ({ id, time, data }) =>
        recordMovements(await ledger(), { id, time, kind: 'adjusted', data }),
    }),
    subscribe({
      event: InventoryReserved,
      handle: async ({ id, time, data }) =>
        recordMovements(await ledger(), { id, time, kind: 'reserved', data }),
    }),
    subscribe({
      event: InventoryReleased,
      handle: async ({ id, time, data }) =>
        recordMovements(await ledger(), { id, time, kind: 'released', data }),
    }),
    subscribe({
      event: InventoryCommitted,
      handle: async ({ id, time, data }) =>
        recordMovements(await ledger(), { id, time, kind: 'committed', data }),
    }),
  ];
});
