import { z } from 'zod';
import { KafkaEnv } from '../../shared/config/env-schemas';
import { ServiceDatabaseEnv } from '../../shared/sql/service-database';

/** Dev-only admin password: lets a laptop sign in as admin with no setup; refused when NODE_ENV=production. */
export const DEV_ADMIN_PASSWORD = 'admin-password-dev';

/**
 * What every user-service function reads beside its own settings: the service database, where events go, and
 * the first admin (created or updated when the service's database is first used).
 */
export const UserServiceEnv = ServiceDatabaseEnv.extend(KafkaEnv.shape)
  .extend({
    NODE_ENV: z.string().optional(),
    /** The Kafka topic of the Knative Kafka broker (`kafka.eventing.knative.dev/external.topic`). */
    EVENTS_TOPIC: z.string().min(1).default('ecom-events'),
    /** A broker ingress URL (Knative's SinkBinding sets it): when present, events are POSTed there, not to Kafka. */
    K_SINK: z.url().optional(),
    ADMIN_EMAIL: z.email().default('admin@shop.local'),
    ADMIN_PASSWORD: z.string().min(10).max(128).default(DEV_ADMIN_PASSWORD),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_PASSWORD'],
        message: 'is the dev default; set a real admin password in production',
      });
    }
  });
export type UserServiceEnv = z.infer<typeof UserServiceEnv>;
