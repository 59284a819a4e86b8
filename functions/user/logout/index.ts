// logout: POST /v1/auth/logout -> 204.
import { registerHttp } from '../../../shared/kit/register';
import { callerOf, defineRoute } from '../../../shared/runtime/http-function';
import { userStores } from '../user-stores';
import { definition, logoutRoute } from './function';
import { logout } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { refreshTokens } = userStores(stores);
  return [
    defineRoute({
      route: logoutRoute,
      async handle(context) {
        await logout(
          { refreshTokens: await refreshTokens(), now: () => new Date() },
          callerOf(context),
          context.body,
        );
        return { status: 204 };
      },
    }),
  ];
});
