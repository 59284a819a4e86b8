// advance-order: the saga's events in (stock, payment), the order's next status and events out (through the outbox).
import { InventoryRejected, InventoryReserved } from '../../../events/inventory-events';
import { PaymentCaptured, PaymentFailed, PaymentRefunded } from '../../../events/payment-events';
import { registerEvents } from '../../../shared/kit/register';
import { subscribe } from '../../../shared/runtime/cloud-event-function';
import { orderStores } from '../order-stores';
import { definition } from './function';
import { advanceOrder } from './use-case';

registerEvents(definition, ({ stores }) => {
  const { orders } = orderStores(stores);
  const ports = async (logger: Parameters<typeof advanceOrder>[0]['logger']) => ({
    orders: await orders(),
    now: () => new Date(),
    logger,
  });
  return [
    subscribe({
      event: InventoryReserved,
      handle: async (event, { logger }) => {
        return advanceOrder(await ports(logger), event.data.orderId, { kind: 'stock-reserved' });
      },
    }),
    subscribe({
      event: InventoryRejected,
      handle: async (event, { logger }) => {
        return advanceOrder(await ports(logger), event.data.orderId, { kind: 'stock-rejected' });
      },
    }),
    subscribe({
      event: PaymentCaptured,
      handle: async (event, { logger }) => {
        const { orderId, amount, reference } = event.data;
        return advanceOrder(await ports(logger), orderId, { kind: 'payment-captured', amount, reference });
      },
    }),
    subscribe({
      event: PaymentFailed,
      handle: async (event, { logger }) => {
        const { orderId, declineCode } = event.data;
        return advanceOrder(await ports(logger), orderId, { kind: 'payment-failed', declineCode });
      },
    }),
    subscribe({
      event: PaymentRefunded,
      handle: async (event, { logger }) => {
        const { orderId, reference } = event.data;
        return advanceOrder(await ports(logger), orderId, { kind: 'payment-refunded', reference });
      },
    }),
  ];
});
