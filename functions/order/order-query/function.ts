import { defineFunction } from '../../../shared/kit/function-definition';
import type { HttpRoute } from '../../../shared/runtime/function-definition';
import { NOTIFICATIONS, orderService } from '../service';

/** The caller's own notification inbox, newest first, by page. */
export const listNotificationsRoute: HttpRoute = {
  method: 'GET',
  path: '/v1/notifications',
  auth: 'authenticated',
};

/** order-query: the order service's reads over HTTP (for now the notification inbox). */
export const definition = defineFunction({
  name: 'order-query',
  service: orderService,
  description: "The order service's reads: a customer's notification inbox.",
  trigger: { kind: 'http', routes: [listNotificationsRoute] },
  uses: { histories: [NOTIFICATIONS] },
});
