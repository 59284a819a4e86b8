// record-order-timeline: com.ecom.order.changed in, an entry of the order's timeline out.
import { OrderChanged, type OrderChangedData } from '../../../events/order-events';
import { registerEvents } from '../../../shared/kit/register';
import { subscribe } from '../../../shared/runtime/cloud-event-function';
import { ORDER_TIMELINE } from '../service';
import { definition } from './function';
import { recordTimelineStep } from './use-case';

registerEvents(definition, ({ stores }) => [
  subscribe<OrderChangedData>({
    event: OrderChanged,
    handle: async ({ id, data }) => recordTimelineStep(await stores.history(ORDER_TIMELINE), { id, data }),
  }),
]);
