// order-query: the order service's reads. GET /v1/notifications: the caller's own inbox. The stream is the caller's
// user id from the verified token, so nobody can ask for another user's notifications.
import { PageQuery } from '../../../shared/domain/pagination';
import { registerHttp } from '../../../shared/kit/register';
import { callerOf, defineRoute } from '../../../shared/runtime/http-function';
import { NOTIFICATIONS } from '../service';
import { definition, listNotificationsRoute } from './function';
import { listNotifications } from './use-case';

registerHttp(definition, ({ stores }) => [
  defineRoute<undefined, PageQuery>({
    route: listNotificationsRoute,
    query: PageQuery,
    async handle(context) {
      const inbox = await stores.history(NOTIFICATIONS);
      const page = await listNotifications({ inbox }, { userId: callerOf(context).userId, ...context.query });
      return { status: 200, body: page };
    },
  }),
]);
