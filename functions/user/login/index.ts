// login: POST /v1/auth/login -> 200 with a token pair. Also makes the configured admin exist (ensure-admin.ts).
import { randomUUID } from 'node:crypto';
import { signAccessToken } from '../../../shared/auth/access-token-signer';
import { hashPassword, passwordNeedsRehash, verifyPasswordOrDummy } from '../../../shared/auth/password';
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { lazy } from '../../../shared/runtime/lazy';
import { ensureAdmin } from '../ensure-admin';
import { userStores } from '../user-stores';
import { definition, loginRoute } from './function';
import { login, LoginInput } from './use-case';

registerHttp(definition, ({ config, stores, logger, hooks }) => {
  const { users, refreshTokens } = userStores(stores);
  // Logging in is the configured admin's only way in, so login makes the admin exist (created, or given the
  // configured password and role) as it starts, in the background while it starts listening, and every login waits
  // for that: no other function pays this password hash at its cold start, and the first answer's time says
  // nothing about the e-mail asked. A failure (the database not there yet) is tried again by the next login.
  const adminEnsured = lazy(
    'configured admin',
    async () => {
      const admin = { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD };
      const outcome = await ensureAdmin(await users(), admin, new Date());
      if (outcome !== 'unchanged') logger.info(`admin account ${outcome}`, { email: config.ADMIN_EMAIL });
    },
    undefined,
    hooks,
  );
  adminEnsured().catch((error: unknown) => {
    logger.warn('ensuring the configured admin failed; the next login tries again', { error });
  });
  return [
    defineRoute<LoginInput>({
      route: loginRoute,
      body: LoginInput,
      async handle({ body }) {
        await adminEnsured();
        const deps = {
          users: await users(),
          refreshTokens: await refreshTokens(),
          verifyPassword: verifyPasswordOrDummy,
          needsRehash: passwordNeedsRehash,
          hashPassword,
          sign: (user: Parameters<typeof signAccessToken>[0]) => signAccessToken(user, config),
          newFamilyId: randomUUID,
          now: () => new Date(),
        };
        return { status: 200, body: await login(deps, body), headers: { 'cache-control': 'no-store' } };
      },
    }),
  ];
});
