// capture-payment: com.ecom.inventory.reserved in, the charge's outcome out (com.ecom.payment.captured or .failed).
import { InventoryReserved, type InventoryReservedData } from '../../../events/inventory-events';
import { registerEvents } from '../../../shared/kit/register';
import { subscribe } from '../../../shared/runtime/cloud-event-function';
import { orderStores } from '../order-stores';
import { definition } from './function';
import { capturePayment } from './use-case';

registerEvents(definition, ({ stores }) => {
  const { payments, gateway } = orderStores(stores);
  return [
    subscribe<InventoryReservedData>({
      event: InventoryReserved,
      handle: async ({ data }, { logger }) =>
        capturePayment(
          { payments: await payments(), gateway: await gateway(), now: () => new Date(), logger },
          data.orderId,
        ),
    }),
  ];
});
