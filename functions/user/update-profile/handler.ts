import type { HttpFunction } from '@google-cloud/functions-framework';
import { authorizationVerifier } from '../../../shared/auth/authorization-verifier';
import { hashPassword, verifyPassword } from '../../../shared/auth/password';
import type { AccessTokenVerifierConfig } from '../../../shared/auth/verifier-config';
import { userView } from '../../../shared/domain/user/user';
import type { Logger } from '../../../shared/log/logger';
import { callerOf, defineRoute, httpHandler } from '../../../shared/runtime/http-function';
import type { UserServiceEnv } from '../user-config';
import { userService } from '../user-service';
import { updateProfileRoute } from './function';
import { updateProfile, UpdateProfileInput } from './use-case';

/** PATCH /v1/users/me -> 200 with the updated user. */
export function createUpdateProfileHandler(
  env: UserServiceEnv,
  auth: AccessTokenVerifierConfig,
  logger: Logger,
): HttpFunction {
  const service = userService(env, logger);
  return httpHandler({
    logger,
    verify: authorizationVerifier(auth),
    routes: [
      defineRoute<UpdateProfileInput>({
        route: updateProfileRoute,
        body: UpdateProfileInput,
        async handle(context) {
          const { users } = await service();
          const deps = { users, hashPassword, verifyPassword, now: () => new Date() };
          const user = await updateProfile(deps, callerOf(context), context.body);
          return { status: 200, body: userView(user) };
        },
      }),
    ],
  });
}
