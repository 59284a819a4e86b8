import { z } from 'zod';
import type { HistoryStore } from '../../../shared/domain/history-store';
import { callerOf, defineRoute, type RouteHandler } from '../../../shared/runtime/http-function';
import { LIST_NOTIFICATIONS_ROUTE } from './function';
import { listNotifications } from './list-notifications-use-case';

/** Digits only: `Number()` alone would also take `1e2`, `0x10` or ` 7 `. */
const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));

/** `page` from 1, `pageSize` 1 to 100 (default 20). Other parameters are ignored, as query strings go. */
export const NotificationsQuery = z.object({
  page: wholeNumber(999_999_999).default(1),
  pageSize: wholeNumber(100).default(20),
});
export type NotificationsQuery = z.infer<typeof NotificationsQuery>;

/**
 * GET /v1/notifications: the caller's own inbox. The stream is the caller's user id from the verified token, so
 * nobody can ask for another user's notifications.
 */
export function notificationsRoute(deps: {
  readonly notifications: () => Promise<HistoryStore>;
}): RouteHandler {
  return defineRoute<undefined, NotificationsQuery>({
    route: LIST_NOTIFICATIONS_ROUTE,
    query: NotificationsQuery,
    async handle(context) {
      const caller = callerOf(context);
      const page = await listNotifications(
        { inbox: await deps.notifications() },
        { userId: caller.userId, page: context.query.page, pageSize: context.query.pageSize },
      );
      return { status: 200, body: page };
    },
  });
}
