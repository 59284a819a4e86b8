// change-role: PUT /v1/users/{id}/role -> 200 with the updated user (admins only).
import { userView } from '../../../shared/domain/user/user';
import { registerHttp } from '../../../shared/kit/register';
import { callerOf, defineRoute } from '../../../shared/runtime/http-function';
import { userStores } from '../user-stores';
import { changeRoleRoute, definition } from './function';
import { changeRole } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { users } = userStores(stores);
  return [
    defineRoute({
      route: changeRoleRoute,
      async handle(context) {
        const deps = { users: await users(), now: () => new Date() };
        const user = await changeRole(deps, callerOf(context), context.params.id, context.body);
        return { status: 200, body: userView(user) };
      },
    }),
  ];
});
