import { OrderCancelled } from '../../../events/order-cancelled';
import { OrderPlaced } from '../../../events/order-placed';
import { OrderShipped } from '../../../events/order-shipped';
import { defineFunction } from '../../../shared/kit/function-definition';
import { productService } from '../service';

/** How many order events one instance handles at once: each holds a connection and row locks while it runs. */
export const RESERVE_CONCURRENCY = 10;

export const definition = defineFunction({
  name: 'reserve-inventory',
  service: productService,
  description:
    "The order saga's stock: reserves an order's lines all or nothing when it is placed, releases them when it is cancelled, takes them out of the stock when it ships.",
  trigger: { kind: 'cloudevent', eventTypes: [OrderPlaced.type, OrderCancelled.type, OrderShipped.type] },
  uses: { database: { pool: RESERVE_CONCURRENCY }, events: true },
  scaling: { maxScale: 2, target: RESERVE_CONCURRENCY / 2, containerConcurrency: RESERVE_CONCURRENCY },
});
