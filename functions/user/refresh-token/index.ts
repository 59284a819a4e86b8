// refresh-token: POST /v1/auth/refresh -> 200 with a new token pair.
import { signAccessToken } from '../../../shared/auth/access-token-signer';
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { userStores } from '../user-stores';
import { definition, refreshRoute } from './function';
import { refreshTokens } from './use-case';

registerHttp(definition, ({ config, stores }) => {
  const { users, refreshTokens: tokens } = userStores(stores);
  return [
    defineRoute({
      route: refreshRoute,
      async handle({ body }) {
        const deps = {
          users: await users(),
          refreshTokens: await tokens(),
          sign: (user: Parameters<typeof signAccessToken>[0]) => signAccessToken(user, config),
          now: () => new Date(),
        };
        return { status: 200, body: await refreshTokens(deps, body) };
      },
    }),
  ];
});
