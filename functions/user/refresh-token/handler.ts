import type { HttpFunction } from '@google-cloud/functions-framework';
import { signAccessToken } from '../../../shared/auth/access-token-signer';
import type { AccessTokenSignerConfig } from '../../../shared/auth/signer-config';
import type { Logger } from '../../../shared/log/logger';
import { defineRoute, httpHandler } from '../../../shared/runtime/http-function';
import type { UserServiceEnv } from '../user-config';
import { userService } from '../user-service';
import { refreshRoute } from './function';
import { RefreshInput, refreshTokens } from './use-case';

/** POST /v1/auth/refresh -> 200 with a new token pair. */
export function createRefreshHandler(
  env: UserServiceEnv,
  auth: AccessTokenSignerConfig,
  logger: Logger,
): HttpFunction {
  const service = userService(env, logger);
  return httpHandler({
    logger,
    routes: [
      defineRoute<RefreshInput>({
        route: refreshRoute,
        body: RefreshInput,
        async handle({ body }) {
          const { users, refreshTokens: store } = await service();
          const pair = await refreshTokens(
            {
              users,
              refreshTokens: store,
              sign: (user) => signAccessToken(user, auth),
              now: () => new Date(),
            },
            body,
          );
          return { status: 200, body: pair, headers: { 'cache-control': 'no-store' } };
        },
      }),
    ],
  });
}
