import { defineService } from '../../shared/kit/service-declaration';
import { ORDER_MIGRATIONS } from './order-migrations';

/** Each user's notifications, newest first: one stream per user id, one entry per notification. */
export const NOTIFICATIONS = 'notifications';

/** Each order's timeline, oldest first: one stream per order id, one entry per step (com.ecom.order.changed). */
export const ORDER_TIMELINE = 'order_timeline';

/** The order service: orders and their saga, and the notifications it sends users. */
export const orderService = defineService({
  name: 'order',
  migrations: ORDER_MIGRATIONS,
  histories: [NOTIFICATIONS, ORDER_TIMELINE],
});
