// capture-payment: com.ecom.order.reserved in, the charge's outcome out (com.ecom.payment.captured or .failed).
import { OrderReserved, type OrderReservedData } from '../../../events/order-events';
import { registerEvents } from '../../../shared/kit/register';
import { subscribe } from '../../../shared/runtime/cloud-event-function';
import { orderStores } from '../order-stores';
import { definition } from './function';
import { capturePayment } from './use-case';

registerEvents(definition, ({ stores }) => {
  const { payments, gateway } = orderStores(stores);
  return [
    subscribe<OrderReservedData>({
      event: OrderReserved,
      handle: async ({ data }, { logger }) =>
        capturePayment(
          { payments: await payments(), gateway: await gateway(), now: () => new Date(), logger },
          { orderId: data.orderId, total: data.total },
        ),
    }),
  ];
});
