// revoke-sessions: DELETE /v1/users/{id}/sessions -> 204 (admins only).
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { userStores } from '../user-stores';
import { definition, revokeSessionsRoute } from './function';
import { revokeSessions } from './use-case';

registerHttp(definition, ({ stores }) => {
  const { users, refreshTokens } = userStores(stores);
  return [
    defineRoute({
      route: revokeSessionsRoute,
      async handle(context) {
        const deps = { users: await users(), refreshTokens: await refreshTokens(), now: () => new Date() };
        await revokeSessions(deps, context.params.id);
        return { status: 204 };
      },
    }),
  ];
});
