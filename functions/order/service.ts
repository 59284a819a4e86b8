import { PROCESSED_EVENTS_DAYS } from '../../shared/kit/retention';
import { defineService } from '../../shared/kit/service-declaration';
import { ORDER_MIGRATIONS } from './order-migrations';

/** Each user's notifications, newest first: one stream per user id, one entry per notification. */
export const NOTIFICATIONS = 'notifications';

/** Each order's timeline, oldest first: one stream per order id, one entry per step (com.ecom.order.changed). */
export const ORDER_TIMELINE = 'order_timeline';

/**
 * How long place-order keeps a customer's `Idempotency-Key`: a week, well past the day a client retrying a request
 * needs. Afterwards the key is free again: a request with it places a new order.
 */
export const IDEMPOTENCY_KEY_DAYS = 7;

/**
 * How long a dead letter is kept after the broker last gave it up: as long as the subscribers remember the events
 * they processed (shared/kit/retention.ts, twice the dead-letter topic's week), so those that took the event still
 * ignore its replay.
 */
export const DEAD_LETTER_DAYS = PROCESSED_EVENTS_DAYS;

/** The order service: orders and their saga, and the notifications it sends users. */
export const orderService = defineService({
  name: 'order',
  migrations: ORDER_MIGRATIONS,
  histories: [NOTIFICATIONS, ORDER_TIMELINE],
  expiring: [
    { table: 'order_idempotency_keys', column: 'created_at', days: IDEMPOTENCY_KEY_DAYS },
    { table: 'dead_letters', column: 'dead_lettered_at', days: DEAD_LETTER_DAYS },
  ],
});
