// login: POST /v1/auth/login -> 200 with a token pair. Also makes the configured admin exist (ensure-admin.ts).
import { randomUUID } from 'node:crypto';
import { signAccessToken } from '../../../shared/auth/access-token-signer';
import {
  hashPassword,
  passwordNeedsRehash,
  verifyPassword,
  verifyPasswordOrDummy,
} from '../../../shared/auth/password';
import { registerHttp } from '../../../shared/kit/register';
import { defineRoute } from '../../../shared/runtime/http-function';
import { lazy } from '../../../shared/runtime/lazy';
import { ensureAdmin } from '../ensure-admin';
import { userStores } from '../user-stores';
import { definition, loginRoute } from './function';
import { login } from './use-case';

registerHttp(definition, ({ config, stores, logger, hooks }) => {
  const { users, refreshTokens, throttle, configuredAdmin } = userStores(stores);
  // Logging in is the configured admin's only way in, so login makes the admin exist (created when missing, its
  // password reset once when ADMIN_RESET_PASSWORD asks) as it starts, in the background while it starts listening,
  // and every login waits for that: no other function pays this password hash at its cold start, and the first
  // answer's time says nothing about the e-mail asked. A failure (the database not there yet) is tried again by
  // the next login.
  const adminEnsured = lazy(
    'configured admin',
    async () => {
      const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password, ADMIN_RESET_PASSWORD: resetPassword } = config;
      const deps = { store: await configuredAdmin(), hashPassword, verifyPassword, now: () => new Date() };
      const outcome = await ensureAdmin(deps, { email, password, resetPassword });
      if (outcome === 'created') logger.info('admin account created', { email });
      // A warning: whoever sets the env took the account over, and its sessions ended.
      if (outcome === 'reset') logger.warn('admin password reset; its sessions ended', { email });
    },
    undefined,
    hooks,
  );
  adminEnsured().catch((error: unknown) => {
    logger.warn('ensuring the configured admin failed; the next login tries again', { error });
  });
  return [
    defineRoute({
      route: loginRoute,
      async handle({ body }) {
        await adminEnsured();
        const deps = {
          users: await users(),
          refreshTokens: await refreshTokens(),
          throttle: await throttle(),
          verifyPassword: verifyPasswordOrDummy,
          needsRehash: passwordNeedsRehash,
          hashPassword,
          sign: (user: Parameters<typeof signAccessToken>[0]) => signAccessToken(user, config),
          newFamilyId: randomUUID,
          now: () => new Date(),
        };
        return { status: 200, body: await login(deps, body) };
      },
    }),
  ];
});
