import {
  InventoryCommitted,
  InventoryLow,
  InventoryRejected,
  InventoryReleased,
  InventoryReserved,
} from '../../../events/inventory-events';
import { OrderCancelled } from '../../../events/order-cancelled';
import { OrderPlaced } from '../../../events/order-placed';
import { OrderShipped } from '../../../events/order-shipped';
import { defineFunction } from '../../../shared/kit/function-definition';
import type { MeasuredCapacity } from '../../../shared/runtime/function-definition';
import { productService } from '../service';

/** What one instance handles at once, as bench/capacity.ts measured it (the knee of its concurrency sweep). */
const capacity = {
  concurrency: 4,
  throughput: 156,
  p99Ms: 58.0,
  measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only reserve-inventory',
  measuredOn: '2026-12-02',
} satisfies MeasuredCapacity;

/**
 * How many order events one instance handles at once, its measured capacity: each holds a connection and row locks
 * while it runs, so the pool is sized to it.
 */
export const RESERVE_CONCURRENCY = capacity.concurrency;

export const definition = defineFunction({
  name: 'reserve-inventory',
  service: productService,
  description:
    "The order saga's stock: reserves an order's lines all or nothing when it is placed, releases them when it is cancelled, takes them out of the stock when it ships.",
  trigger: { kind: 'cloudevent', eventTypes: [OrderPlaced.type, OrderCancelled.type, OrderShipped.type] },
  uses: {
    // Its transactions are READ COMMITTED (sql-inventory-store.ts: a first reservation's locking read takes no gap
    // lock): its connections start there, and no transaction sends a SET TRANSACTION first.
    database: { pool: RESERVE_CONCURRENCY, isolation: 'read-committed' },
    events: [InventoryReserved, InventoryRejected, InventoryReleased, InventoryCommitted, InventoryLow],
  },
  capacity,
  scaling: { maxScale: 3 },
});
