// advance-order: the saga's events in (stock rejected, refunds), the order's next status and events out (through the outbox).
import type { z } from 'zod';
import type { EventDefinition } from '../../../events/event-definition';
import { InventoryRejected } from '../../../events/inventory-events';
import { PaymentRefunded } from '../../../events/payment-events';
import type { OrderStep } from '../../../shared/domain/order/order-saga';
import { registerEvents } from '../../../shared/kit/register';
import { subscribe } from '../../../shared/runtime/cloud-event-function';
import { orderStores } from '../order-stores';
import { definition } from './function';
import { advanceOrder } from './use-case';

registerEvents(definition, ({ stores }) => {
  const { orders } = orderStores(stores);
  /** Each event is one step of the saga for the order it names. */
  const step = <Data extends { readonly orderId: string }>(
    event: EventDefinition<z.ZodType<Data>>,
    stepOf: (data: Data) => OrderStep,
  ) =>
    subscribe<Data>({
      event,
      handle: async ({ data }, { logger }) =>
        advanceOrder({ orders: await orders(), now: () => new Date(), logger }, data.orderId, stepOf(data)),
    });
  return [
    step(InventoryRejected, () => ({ kind: 'stock-rejected' })),
    step(PaymentRefunded, ({ reference }) => ({ kind: 'payment-refunded', reference })),
  ];
});
