// order-query: the order service's reads. GET /v1/orders and /v1/orders/{id}: a customer's own orders, any for an
// admin. GET /v1/notifications: the caller's own inbox. The caller is the verified token's subject, so nobody reads
// another customer's orders or notifications; an admin's role is confirmed with user-grpc first (function.ts).
import { registerHttp } from '../../../shared/kit/register';
import { callerOf, defineRoute } from '../../../shared/runtime/http-function';
import { NOTIFICATIONS, ORDER_TIMELINE } from '../service';
import { orderStores } from '../order-stores';
import {
  definition,
  getOrderRoute,
  listNotificationsRoute,
  listOrdersRoute,
  orderTimelineRoute,
} from './function';
import { getOrder, listNotifications, listOrders, orderTimeline } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { orders } = orderStores(stores);
  return [
    defineRoute({
      route: listOrdersRoute,
      async handle(context) {
        return { status: 200, body: await listOrders(await orders(), context.query, callerOf(context)) };
      },
    }),
    defineRoute({
      route: getOrderRoute,
      async handle(context) {
        return { status: 200, body: await getOrder(await orders(), context.params.id, callerOf(context)) };
      },
    }),
    defineRoute({
      route: orderTimelineRoute,
      async handle(context) {
        const ports = { orders: await orders(), timeline: await stores.history(ORDER_TIMELINE) };
        return { status: 200, body: await orderTimeline(ports, context.params.id, callerOf(context)) };
      },
    }),
    defineRoute({
      route: listNotificationsRoute,
      async handle(context) {
        const inbox = await stores.history(NOTIFICATIONS);
        const page = await listNotifications(
          { inbox },
          { userId: callerOf(context).userId, ...context.query },
        );
        return { status: 200, body: page };
      },
    }),
  ];
});
