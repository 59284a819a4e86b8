import { randomUUID } from 'node:crypto';
import type { HttpFunction } from '@google-cloud/functions-framework';
import { signAccessToken } from '../../../shared/auth/access-token-signer';
import { verifyPasswordOrDummy } from '../../../shared/auth/password';
import type { AccessTokenSignerConfig } from '../../../shared/auth/signer-config';
import type { Logger } from '../../../shared/log/logger';
import { defineRoute, httpHandler } from '../../../shared/runtime/http-function';
import type { UserServiceEnv } from '../user-config';
import { userService } from '../user-service';
import { loginRoute } from './function';
import { login, LoginInput } from './use-case';

/** POST /v1/auth/login -> 200 with a token pair. */
export function createLoginHandler(
  env: UserServiceEnv,
  auth: AccessTokenSignerConfig,
  logger: Logger,
): HttpFunction {
  const service = userService(env, logger);
  return httpHandler({
    logger,
    routes: [
      defineRoute<LoginInput>({
        route: loginRoute,
        body: LoginInput,
        async handle({ body }) {
          const { users, refreshTokens } = await service();
          const pair = await login(
            {
              users,
              refreshTokens,
              verifyPassword: verifyPasswordOrDummy,
              sign: (user) => signAccessToken(user, auth),
              newFamilyId: randomUUID,
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
