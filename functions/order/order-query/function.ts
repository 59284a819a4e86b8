import { defineFunction } from '../../../shared/kit/function-definition';
import { httpRoute } from '../../../shared/runtime/function-definition';
import { OrderView } from '../../../shared/domain/order/order';
import { PageQuery, pageOf } from '../../../shared/domain/pagination';
import { NOTIFICATIONS, ORDER_TIMELINE, orderService } from '../service';
import { NotificationView, OrderIdParams, OrderListQuery, OrderTimelineView } from './use-case';

/** The caller's own notification inbox, newest first, by page. */
export const listNotificationsRoute = httpRoute({
  method: 'GET',
  path: '/v1/notifications',
  auth: 'authenticated',
  summary: "The caller's notification inbox, newest first, paged.",
  query: PageQuery,
  responses: { 200: { description: 'A page of notifications.', body: pageOf(NotificationView) } },
});

// A token that claims admin is confirmed with user-grpc (session and current role, a few seconds cached) before it
// sees other customers' orders; a customer's token is only verified.

/** Orders, newest first: a customer's own; for admins anyone's, with filters. */
export const listOrdersRoute = httpRoute({
  method: 'GET',
  path: '/v1/orders',
  auth: 'authenticated',
  readsCaller: true,
  summary:
    "Orders, newest first, paged: the caller's own; admins see every customer's, `userId` narrowing to one.",
  query: OrderListQuery,
  responses: { 200: { description: 'A page of orders.', body: pageOf(OrderView) } },
  // A customer who names another customer's `userId`.
  problems: { 403: ['AUTH.FORBIDDEN'] },
});

/** One order, to its customer or an admin. */
export const getOrderRoute = httpRoute({
  method: 'GET',
  path: '/v1/orders/{id}',
  auth: 'authenticated',
  readsCaller: true,
  summary: 'One order, to its customer or an admin (404 to anyone else).',
  params: OrderIdParams,
  responses: { 200: { description: 'The order.', body: OrderView } },
  problems: { 404: ['ORDER.NOT_FOUND'] },
});

/** Every step one order went through, oldest first, to its customer or an admin. */
export const orderTimelineRoute = httpRoute({
  method: 'GET',
  path: '/v1/orders/{id}/timeline',
  auth: 'authenticated',
  readsCaller: true,
  summary:
    'Every step an order went through, oldest first, with the status each left it in; to its customer or an admin.',
  params: OrderIdParams,
  responses: { 200: { description: "The order's timeline.", body: OrderTimelineView } },
  problems: { 404: ['ORDER.NOT_FOUND'] },
});

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
