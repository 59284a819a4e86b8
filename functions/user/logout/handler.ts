import type { HttpFunction } from '@google-cloud/functions-framework';
import { authorizationVerifier } from '../../../shared/auth/authorization-verifier';
import type { AccessTokenVerifierConfig } from '../../../shared/auth/verifier-config';
import type { Logger } from '../../../shared/log/logger';
import { callerOf, defineRoute, httpHandler } from '../../../shared/runtime/http-function';
import type { UserServiceEnv } from '../user-config';
import { userService } from '../user-service';
import { logoutRoute } from './function';
import { logout, LogoutInput } from './use-case';

/** POST /v1/auth/logout -> 204. */
export function createLogoutHandler(
  env: UserServiceEnv,
  auth: AccessTokenVerifierConfig,
  logger: Logger,
): HttpFunction {
  const service = userService(env, logger);
  return httpHandler({
    logger,
    verify: authorizationVerifier(auth),
    routes: [
      defineRoute<LogoutInput>({
        route: logoutRoute,
        body: LogoutInput,
        async handle(context) {
          const { refreshTokens } = await service();
          await logout({ refreshTokens, now: () => new Date() }, callerOf(context), context.body);
          return { status: 204 };
        },
      }),
    ],
  });
}
