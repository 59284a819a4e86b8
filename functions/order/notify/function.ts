import { z } from 'zod';
import { OrderCancelled } from '../../../events/order-cancelled';
import { OrderDelivered, OrderPaid } from '../../../events/order-events';
import { OrderPlaced } from '../../../events/order-placed';
import { OrderShipped } from '../../../events/order-shipped';
import { UserRegistered } from '../../../events/user-registered';
import { InternalTokenEnv } from '../../../shared/auth/internal-token';
import { UserGrpcEnv } from '../../../shared/auth/user-grpc-env';
import { secret } from '../../../shared/config/secret';
import { defineFunction } from '../../../shared/kit/function-definition';
import type { MeasuredCapacity } from '../../../shared/runtime/function-definition';
import { NOTIFICATIONS, orderService } from '../service';

const DEFAULT_MAIL_FROM = 'shop@localhost';

/** A ConfigMap may set a variable to the empty string to mean "not set". */
const unsetWhenEmpty = (value: unknown) => (value === '' ? undefined : value);

/**
 * Mail. Without SMTP_URL no e-mail is sent and the inbox is the only channel. MAIL_FROM must be a real sender once
 * mail goes out in production.
 */
export const NotifyEnv = z
  .object({
    NODE_ENV: z.string().default('development'),
    /** `smtp://[user:pass@]host:port` or `smtps://…`: a secret, since it may carry the password. */
    SMTP_URL: secret(z.preprocess(unsetWhenEmpty, z.url({ protocol: /^smtps?$/ }).optional())),
    // One line: the value becomes a header.
    MAIL_FROM: z
      .string()
      .min(3)
      .max(200)
      .regex(/^[^\r\n]+$/, 'one line')
      .default(DEFAULT_MAIL_FROM),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.SMTP_URL !== undefined && env.MAIL_FROM === DEFAULT_MAIL_FROM) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAIL_FROM'],
        message: `is the dev default ${DEFAULT_MAIL_FROM}, refused when NODE_ENV=production; set the shop's sender`,
      });
    }
  });

/** What one instance handles at once, as bench/capacity.ts measured it (the knee of its concurrency sweep). */
const capacity = {
  concurrency: 8,
  throughput: 223,
  p99Ms: 76.4,
  measuredBy: 'npm run node24 -- npx tsx bench/capacity.ts --step-seconds 3 --only notify',
  measuredOn: '2026-12-02',
} satisfies MeasuredCapacity;

/**
 * How many events one instance handles at once, its measured capacity. Each holds a database connection while it
 * writes the inbox and talks to the mail server, so the pool is sized to it.
 */
export const NOTIFY_CONCURRENCY = capacity.concurrency;

/** The name notify records processed events under: one record per event for this consumer. */
export const NOTIFY_CONSUMER = 'notify';

/** notify: turns events into notifications, in the user's inbox and, when SMTP is configured, by e-mail. */
export const definition = defineFunction({
  name: 'notify',
  service: orderService,
  description:
    "Turns events into notifications (a new account's welcome; an order placed, paid, shipped, delivered or cancelled): an entry in the user's inbox, and an e-mail when SMTP is configured.",
  trigger: {
    kind: 'cloudevent',
    eventTypes: [
      UserRegistered.type,
      OrderPlaced.type,
      OrderPaid.type,
      OrderShipped.type,
      OrderDelivered.type,
      OrderCancelled.type,
    ],
  },
  uses: { database: { pool: NOTIFY_CONCURRENCY }, histories: [NOTIFICATIONS] },
  // The user service says where mail goes: user-grpc's address, and the token its internal method wants.
  env: [NotifyEnv, UserGrpcEnv, InternalTokenEnv],
  capacity,
  scaling: { maxScale: 3 },
});
