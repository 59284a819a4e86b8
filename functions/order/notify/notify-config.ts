import { z } from 'zod';
import { ORDER_SERVICE_SECRETS, OrderServiceEnv } from '../order-config';

const DEFAULT_MAIL_FROM = 'shop@localhost';

/** A ConfigMap may set a variable to the empty string to mean "not set". */
const unsetWhenEmpty = (value: unknown) => (value === '' ? undefined : value);

/**
 * The config of notify: the order service's stores, and mail. Without SMTP_URL no e-mail is sent and the inbox is
 * the only channel. MAIL_FROM must be a real sender once mail goes out in production.
 */
export const NotifyEnv = OrderServiceEnv.extend({
  NODE_ENV: z.string().default('development'),
  /** `smtp://[user:pass@]host:port` or `smtps://…`: a secret, since it may carry the password. */
  SMTP_URL: z.preprocess(unsetWhenEmpty, z.url({ protocol: /^smtps?$/ }).optional()),
  // One line: the value becomes a header.
  MAIL_FROM: z
    .string()
    .min(3)
    .max(200)
    .regex(/^[^\r\n]+$/, 'one line')
    .default(DEFAULT_MAIL_FROM),
}).superRefine((env, ctx) => {
  if (env.NODE_ENV === 'production' && env.SMTP_URL !== undefined && env.MAIL_FROM === DEFAULT_MAIL_FROM) {
    ctx.addIssue({
      code: 'custom',
      path: ['MAIL_FROM'],
      message: `is the dev default ${DEFAULT_MAIL_FROM}, refused when NODE_ENV=production; set the shop's sender`,
    });
  }
});
export type NotifyEnv = z.infer<typeof NotifyEnv>;

/** NotifyEnv's variables that hold secrets. */
export const NOTIFY_SECRETS = [...ORDER_SERVICE_SECRETS, 'SMTP_URL'] as const;
