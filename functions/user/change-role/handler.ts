import type { HttpFunction } from '@google-cloud/functions-framework';
import { authorizationVerifier } from '../../../shared/auth/authorization-verifier';
import type { AccessTokenVerifierConfig } from '../../../shared/auth/verifier-config';
import { userView } from '../../../shared/domain/user/user';
import type { Logger } from '../../../shared/log/logger';
import { callerOf, defineRoute, httpHandler } from '../../../shared/runtime/http-function';
import type { UserServiceEnv } from '../user-config';
import { userService } from '../user-service';
import { changeRoleRoute } from './function';
import { changeRole, ChangeRoleInput, ChangeRoleParams } from './use-case';

/** PUT /v1/users/{id}/role -> 200 with the updated user. */
export function createChangeRoleHandler(
  env: UserServiceEnv,
  auth: AccessTokenVerifierConfig,
  logger: Logger,
): HttpFunction {
  const service = userService(env, logger);
  return httpHandler({
    logger,
    verify: authorizationVerifier(auth),
    routes: [
      defineRoute<ChangeRoleInput, undefined, ChangeRoleParams>({
        route: changeRoleRoute,
        params: ChangeRoleParams,
        body: ChangeRoleInput,
        async handle(context) {
          const { users } = await service();
          const deps = { users, now: () => new Date() };
          const user = await changeRole(deps, callerOf(context), context.params.id, context.body);
          return { status: 200, body: userView(user) };
        },
      }),
    ],
  });
}
