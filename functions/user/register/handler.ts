import type { HttpFunction } from '@google-cloud/functions-framework';
import { hashPassword } from '../../../shared/auth/password';
import { userView } from '../../../shared/domain/user/user';
import type { Logger } from '../../../shared/log/logger';
import { defineRoute, httpHandler } from '../../../shared/runtime/http-function';
import type { UserServiceEnv } from '../user-config';
import { userService } from '../user-service';
import { registerRoute } from './function';
import { RegisterInput, registerUser } from './use-case';

/** POST /v1/auth/register -> 201 with the new user. */
export function createRegisterHandler(env: UserServiceEnv, logger: Logger): HttpFunction {
  const service = userService(env, logger);
  return httpHandler({
    logger,
    routes: [
      defineRoute<RegisterInput>({
        route: registerRoute,
        body: RegisterInput,
        async handle({ body }) {
          const { users, publishSoon } = await service();
          const user = await registerUser(
            { users, hashPassword, now: () => new Date(), adminEmail: env.ADMIN_EMAIL },
            body,
          );
          publishSoon();
          return { status: 201, body: userView(user) };
        },
      }),
    ],
  });
}
