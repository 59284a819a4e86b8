import { z } from 'zod';
import { secret } from '../../shared/config/secret';

/** Dev-only admin password: lets a laptop sign in as admin with no setup; refused when NODE_ENV=production. */
export const DEV_ADMIN_PASSWORD = 'admin-password-dev';

/** Shortest ADMIN_PASSWORD production accepts: the account it opens can change every other account's role. */
export const PRODUCTION_ADMIN_PASSWORD_MIN_LENGTH = 16;

/** The configured first admin's address: that account comes from configuration, never from registering. */
export const AdminEmailEnv = z.object({ ADMIN_EMAIL: z.email().default('admin@shop.local') });

/** The configured first admin, which login creates once (see ensure-admin.ts). */
export const ConfiguredAdminEnv = AdminEmailEnv.extend({
  NODE_ENV: z.string().optional(),
  ADMIN_PASSWORD: secret(z.string().min(10).max(128).default(DEV_ADMIN_PASSWORD)),
  // Strict: a typo ('True', 'yes') must fail the start rather than silently not reset (or reset).
  ADMIN_RESET_PASSWORD: z.stringbool({ truthy: ['true'], falsy: ['false'] }).default(false),
}).superRefine((env, ctx) => {
  if (env.NODE_ENV !== 'production') return;
  if (env.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) {
    ctx.addIssue({
      code: 'custom',
      path: ['ADMIN_PASSWORD'],
      message: 'is the dev default; set a real admin password in production',
    });
  } else if (env.ADMIN_PASSWORD.length < PRODUCTION_ADMIN_PASSWORD_MIN_LENGTH) {
    ctx.addIssue({
      code: 'custom',
      path: ['ADMIN_PASSWORD'],
      message: `is shorter than ${PRODUCTION_ADMIN_PASSWORD_MIN_LENGTH} characters; production needs a longer admin password`,
    });
  }
});
