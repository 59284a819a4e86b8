// reserve-inventory: the order saga's events in, reservations and inventory events out (through the outbox).
import { OrderCancelled } from '../../../events/order-cancelled';
import { OrderPlaced } from '../../../events/order-placed';
import { OrderShipped } from '../../../events/order-shipped';
import { registerEvents } from '../../../shared/kit/register';
import { subscribe } from '../../../shared/runtime/cloud-event-function';
import { productStores } from '../product-stores';
import { definition } from './function';
import { onOrderCancelled, onOrderPlaced, onOrderShipped } from './use-case';

registerEvents(definition, ({ stores }) => {
  const { inventory } = productStores(stores);
  const ports = async () => ({ inventory: await inventory(), now: () => new Date() });
  return [
    subscribe({ event: OrderPlaced, handle: async (event) => onOrderPlaced(await ports(), event.data) }),
    subscribe({
      event: OrderCancelled,
      handle: async (event) => onOrderCancelled(await ports(), event.data),
    }),
    subscribe({ event: OrderShipped, handle: async (event) => onOrderShipped(await ports(), event.data) }),
  ];
});
