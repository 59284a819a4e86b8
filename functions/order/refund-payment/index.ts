// refund-payment: com.ecom.payment.refund-requested in, com.ecom.payment.refunded out.
import { RefundRequested, type RefundRequestedData } from '../../../events/payment-events';
import { registerEvents } from '../../../shared/kit/register';
import { subscribe } from '../../../shared/runtime/cloud-event-function';
import { orderStores } from '../order-stores';
import { definition } from './function';
import { refundPayment } from './use-case';

registerEvents(definition, ({ stores }) => {
  const { payments, gateway } = orderStores(stores);
  return [
    subscribe<RefundRequestedData>({
      event: RefundRequested,
      handle: async ({ data }, { logger }) =>
        refundPayment(
          { payments: await payments(), gateway: await gateway(), now: () => new Date(), logger },
          data.orderId,
        ),
    }),
  ];
});
