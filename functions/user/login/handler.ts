import { randomUUID } from 'node:crypto';
import type { HttpFunction } from '@google-cloud/functions-framework';
import { signAccessToken } from '../../../shared/auth/access-token-signer';
import { verifyPasswordOrDummy } from '../../../shared/auth/password';
import type { AccessTokenSignerConfig } from '../../../shared/auth/signer-config';
import type { Logger } from '../../../shared/log/logger';
import { defineRoute, httpHandler } from '../../../shared/runtime/http-function';
import { lazy } from '../../../shared/runtime/lazy';
import type { UserServiceEnv } from '../user-config';
import { ensureAdmin } from '../ensure-admin';
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
  // Logging in is the configured admin's only way in, so login makes the admin exist (created, or given the
  // configured password and role) as it starts, in the background while it starts listening, and every login waits
  // for that: no other function pays this password hash at its cold start, and the first answer's time says
  // nothing about the e-mail asked. A failure (the database not there yet) is tried again by the next login.
  const adminEnsured = lazy('configured admin', async () => {
    const { users } = await service();
    const admin = { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD };
    const outcome = await ensureAdmin(users, admin, new Date());
    if (outcome !== 'unchanged') logger.info(`admin account ${outcome}`, { email: env.ADMIN_EMAIL });
  });
  adminEnsured().catch((error: unknown) => {
    logger.warn('ensuring the configured admin failed; the next login tries again', { error });
  });
  return httpHandler({
    logger,
    routes: [
      defineRoute<LoginInput>({
        route: loginRoute,
        body: LoginInput,
        async handle({ body }) {
          await adminEnsured();
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
