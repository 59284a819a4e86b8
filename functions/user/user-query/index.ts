// user-query: GET /v1/users/me, and for admins GET /v1/users and GET /v1/users/{id}.
import { registerHttp } from '../../../shared/kit/register';
import { callerOf, defineRoute } from '../../../shared/runtime/http-function';
import { userStores } from '../user-stores';
import { definition, getUserRoute, listUsersRoute, meRoute } from './function';
import { getMe, getUser, listUsers } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { users } = userStores(stores);
  return [
    defineRoute({
      route: meRoute,
      handle: async (context) => ({ status: 200, body: await getMe(await users(), callerOf(context)) }),
    }),
    defineRoute({
      route: listUsersRoute,
      handle: async ({ query }) => ({ status: 200, body: await listUsers(await users(), query) }),
    }),
    defineRoute({
      route: getUserRoute,
      handle: async ({ params }) => ({ status: 200, body: await getUser(await users(), params.id) }),
    }),
  ];
});
