import type { HttpFunction } from '@google-cloud/functions-framework';
import { authorizationVerifier } from '../../../shared/auth/authorization-verifier';
import type { AccessTokenVerifierConfig } from '../../../shared/auth/verifier-config';
import type { Logger } from '../../../shared/log/logger';
import { callerOf, defineRoute, httpHandler } from '../../../shared/runtime/http-function';
import { PageQuery } from '../../../shared/domain/pagination';
import type { UserServiceEnv } from '../user-config';
import { userService } from '../user-service';
import { getUserRoute, listUsersRoute, meRoute } from './function';
import { getMe, getUser, listUsers, UserIdParams } from './use-case';

/** GET /v1/users/me, GET /v1/users, GET /v1/users/{id}. */
export function createUserQueryHandler(
  env: UserServiceEnv,
  auth: AccessTokenVerifierConfig,
  logger: Logger,
): HttpFunction {
  const service = userService(env, logger);
  const users = async () => (await service()).users;
  return httpHandler({
    logger,
    verify: authorizationVerifier(auth),
    routes: [
      defineRoute({
        route: meRoute,
        handle: async (context) => ({ status: 200, body: await getMe(await users(), callerOf(context)) }),
      }),
      defineRoute<undefined, PageQuery>({
        route: listUsersRoute,
        query: PageQuery,
        handle: async ({ query }) => ({ status: 200, body: await listUsers(await users(), query) }),
      }),
      defineRoute<undefined, undefined, UserIdParams>({
        route: getUserRoute,
        params: UserIdParams,
        handle: async ({ params }) => ({ status: 200, body: await getUser(await users(), params.id) }),
      }),
    ],
  });
}
