import { defineService } from '../../shared/kit/service-declaration';

/** Each user's notifications, newest first: one stream per user id, one entry per notification. */
export const NOTIFICATIONS = 'notifications';

/** The order service: orders and their saga, and the notifications it sends users. */
export const orderService = defineService({ name: 'order', migrations: [], histories: [NOTIFICATIONS] });
