import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { NOTIFICATIONS, ORDER_TIMELINE, orderService } from '../service';

/** The caller's own notification inbox, newest first, by page. */
export const listNotificationsRoute: HttpRoute = {
  method: 'GET',
  path: '/v1/notifications',
  auth: 'authenticated',
};

// A token that claims admin is confirmed with user-grpc (session and current role, a few seconds cached) before it
// sees other customers' orders; a customer's token is only verified.

/** Orders, newest first: a customer's own; for admins anyone's, with filters. */
export const listOrdersRoute: HttpRoute = {
  method: 'GET',
  path: '/v1/orders',
  auth: 'authenticated',
  readsCaller: true,
};

/** One order, to its customer or an admin. */
export const getOrderRoute: HttpRoute = {
  method: 'GET',
  path: '/v1/orders/{id}',
  auth: 'authenticated',
  readsCaller: true,
};

/** Every step one order went through, oldest first, to its customer or an admin. */
export const orderTimelineRoute: HttpRoute = {
  method: 'GET',
  path: '/v1/orders/{id}/timeline',
  auth: 'authenticated',
  readsCaller: true,
};

/** order-query: the order service's reads over HTTP: orders, and the notification inbox. */
export const definition = defineFunction({
  name: 'order-query',
  service: orderService,
  description:
    "The order service's reads: orders and their timelines (a customer's own, an admin's all) and a customer's notification inbox.",
  trigger: {
    kind: 'http',
    routes: [listOrdersRoute, getOrderRoute, orderTimelineRoute, listNotificationsRoute],
  },
  uses: { database: true, histories: [NOTIFICATIONS, ORDER_TIMELINE] },
  capacity: {
    concurrency: 2,
    throughput: 25,
    p99Ms: 133.4,
    measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only order-query',
    measuredOn: '2026-12-02',
  },
  scaling: { maxScale: 5 },
});
