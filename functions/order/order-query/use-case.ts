import { z } from 'zod';
import {
  HISTORY_MAX_LIMIT,
  type HistoryEntry,
  type HistoryStore,
} from '../../../shared/domain/history-store';
import { readHistoryAtOffset } from '../../../shared/domain/history-offset-read';
import { NotificationContent } from '../../../shared/domain/notification/notification-content';
import { orderNotFound, orderView, type OrderView } from '../../../shared/domain/order/order';
import type { OrderRepository } from '../../../shared/domain/order/order-ports';
import { OrderStatus } from '../../../shared/domain/order/order-saga';
import { PageQuery, type Page } from '../../../shared/domain/pagination';
import type { Principal } from '../../../shared/domain/user/roles';
import { AppError } from '../../../shared/errors/app-error';

/** One notification as the API answers it. */
export const NotificationView = z
  .object({
    id: z.string(),
    kind: z.string().meta({ description: 'What it is about: `welcome`, `order.shipped`, ...' }),
    title: z.string(),
    body: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Notification' });
export type NotificationView = z.infer<typeof NotificationView>;

export interface NotificationsPage {
  readonly items: readonly NotificationView[];
  readonly page: number;
  readonly pageSize: number;
  /** Notifications in the whole inbox. */
  readonly total: number;
}

/**
 * One page of a user's inbox, newest first. A page past the end is empty (with the real total), and costs one count:
 * the inbox is walked only up to entries that exist.
 */
export async function listNotifications(
  ports: { readonly inbox: HistoryStore },
  query: { readonly userId: string; readonly page: number; readonly pageSize: number },
): Promise<NotificationsPage> {
  const { userId, page, pageSize } = query;
  const total = await ports.inbox.count(userId);
  const offset = (page - 1) * pageSize;
  const entries =
    offset >= total ? [] : await readHistoryAtOffset(ports.inbox, userId, { offset, limit: pageSize });
  return { items: entries.map(toView), page, pageSize, total };
}

function toView(entry: HistoryEntry): NotificationView {
  // An entry this version cannot read (written by hand, or by a broken release) still shows, rather than failing
  // the whole inbox.
  const content = NotificationContent.safeParse(entry.data);
  return {
    id: entry.id,
    kind: entry.kind,
    title: content.success ? content.data.title : '',
    body: content.success ? content.data.body : '',
    createdAt: entry.time.toISOString(),
  };
}

/** `{id}` of an order route: a malformed id is 400, not a lookup. */
export const OrderIdParams = z.object({ id: z.uuid() });
export type OrderIdParams = z.infer<typeof OrderIdParams>;

/** `GET /v1/orders`: a page, and for admins the filters of the whole shop's orders. */
export const OrderListQuery = PageQuery.extend({
  status: OrderStatus.optional(),
  userId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type OrderListQuery = z.infer<typeof OrderListQuery>;

const isAdmin = (caller: Principal) => caller.role === 'admin';

/**
 * A page of orders, newest first: a customer's own, or for an admin any customer's (`userId`) or all. A customer may
 * narrow their own by status and dates, but not ask for someone else's (403).
 */
export async function listOrders(
  orders: OrderRepository,
  query: OrderListQuery,
  caller: Principal,
): Promise<Page<OrderView>> {
  if (!isAdmin(caller) && query.userId !== undefined && query.userId !== caller.userId) {
    throw new AppError('forbidden', 'AUTH.FORBIDDEN', "Only admins can list other customers' orders.");
  }
  const customerId = isAdmin(caller) ? query.userId : caller.userId;
  const { items, total } = await orders.list(
    {
      ...(customerId !== undefined ? { customerId } : {}),
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.from !== undefined ? { from: new Date(query.from) } : {}),
      ...(query.to !== undefined ? { to: new Date(query.to) } : {}),
    },
    { page: query.page, pageSize: query.pageSize },
  );
  return { items: items.map(orderView), page: query.page, pageSize: query.pageSize, total };
}

/** One order, to its customer or an admin; to anyone else it does not exist (404, never 403: ids are not probed). */
export async function getOrder(orders: OrderRepository, id: string, caller: Principal): Promise<OrderView> {
  const order = await orders.findById(id);
  if (!order || (order.customerId !== caller.userId && !isAdmin(caller))) throw orderNotFound();
  return orderView(order);
}

/** One step of an order's timeline as the API answers it. */
export const TimelineEntryView = z
  .object({
    at: z.iso.datetime(),
    type: z.string().meta({
      description: 'The step: `placed`, `stock-reserved`, `payment-captured`, `cancel`, `ship`, ...',
    }),
    status: z.string().meta({ description: "The order's status after the step." }),
    detail: z.string(),
  })
  .meta({ id: 'TimelineEntry' });
export type TimelineEntryView = z.infer<typeof TimelineEntryView>;

/** Every step of one order, oldest first. */
export const OrderTimelineView = z
  .object({ orderId: z.uuid(), items: z.array(TimelineEntryView) })
  .meta({ id: 'OrderTimeline' });
export type OrderTimelineView = z.infer<typeof OrderTimelineView>;

const TimelineData = z.object({ status: z.string(), detail: z.string() });

/**
 * Every step an order went through, oldest first, to its customer or an admin; to anyone else the order does not
 * exist (404). An order's steps are few (a dozen at most on any path), so one read of the stream holds them all.
 */
export async function orderTimeline(
  ports: { readonly orders: OrderRepository; readonly timeline: HistoryStore },
  id: string,
  caller: Principal,
): Promise<OrderTimelineView> {
  await getOrder(ports.orders, id, caller);
  const { items } = await ports.timeline.read(id, { order: 'oldest-first', limit: HISTORY_MAX_LIMIT });
  return {
    orderId: id,
    items: items.map((entry) => {
      const data = TimelineData.safeParse(entry.data);
      return {
        at: entry.time.toISOString(),
        type: entry.kind,
        status: data.success ? data.data.status : '',
        detail: data.success ? data.data.detail : '',
      };
    }),
  };
}
