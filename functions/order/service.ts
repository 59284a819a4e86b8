import { defineService } from '../../shared/kit/service-declaration';
import { ORDER_MIGRATIONS } from './order-migrations';

/** Each user's notifications, newest first: one stream per user id, one entry per notification. */
export const NOTIFICATIONS = 'notifications';

/** The order service: orders and their saga, and the notifications it sends users. */
export const orderService = defineService({
  name: 'order',
  migrations: ORDER_MIGRATIONS,
  histories: [NOTIFICATIONS],
});
