// capture-payment: com.ecom.inventory.reserved in; the charge's outcome out (com.ecom.payment.captured or .failed),
// with the order paid or cancelled by it.
import { InventoryReserved, type InventoryReservedData } from '../../../events/inventory-events';
import { registerEvents } from '../../../shared/kit/register';
import { subscribe } from '../../../shared/runtime/cloud-event-function';
import { orderStores } from '../order-stores';
import { definition } from './function';
import { capturePayment } from './use-case';

registerEvents(definition, ({ stores }) => {
  const { orders, payments, gateway } = orderStores(stores);
  return [
    subscribe<InventoryReservedData>({
      event: InventoryReserved,
      handle: async ({ data }, { logger }) =>
        capturePayment(
          {
            orders: await orders(),
            payments: await payments(),
            gateway: await gateway(),
            now: () => new Date(),
            logger,
          },
          { orderId: data.orderId, reservedAt: new Date(data.reservedAt) },
        ),
    }),
  ];
});
