import { z } from 'zod';
import { secret } from '../../shared/config/secret';

/** Dev-only admin password: lets a laptop sign in as admin with no setup; refused when NODE_ENV=production. */
export const DEV_ADMIN_PASSWORD = 'admin-password-dev';

/** The configured first admin's address: that account comes from configuration, never from registering. */
export const AdminEmailEnv = z.object({ ADMIN_EMAIL: z.email().default('admin@shop.local') });

/** The configured first admin, which login makes exist (see ensure-admin.ts). */
export const ConfiguredAdminEnv = AdminEmailEnv.extend({
  NODE_ENV: z.string().optional(),
  ADMIN_PASSWORD: secret(z.string().min(10).max(128).default(DEV_ADMIN_PASSWORD)),
}).superRefine((env, ctx) => {
  if (env.NODE_ENV === 'production' && env.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) {
    ctx.addIssue({
      code: 'custom',
      path: ['ADMIN_PASSWORD'],
      message: 'is the dev default; set a real admin password in production',
    });
  }
});
