import { OrderChanged } from '../../../events/order-events';
import { defineFunction } from '../../../shared/kit/function-definition';
import { ORDER_TIMELINE, orderService } from '../service';

export const definition = defineFunction({
  name: 'record-order-timeline',
  service: orderService,
  description:
    "Keeps each order's timeline (Cassandra): every step it went through, from com.ecom.order.changed, which each change writes with itself.",
  trigger: { kind: 'cloudevent', eventTypes: [OrderChanged.type] },
  uses: { histories: [ORDER_TIMELINE] },
  scaling: { maxScale: 2, target: 10, containerConcurrency: 20 },
});
