import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { secret } from '../config/secret';

/** The gRPC metadata key that carries the internal token. */
export const INTERNAL_TOKEN_KEY = 'x-internal-token';

/** DEV ONLY: the committed default, so tests and a laptop need no setup; refused when NODE_ENV=production. */
export const DEV_INTERNAL_TOKEN = 'dev-only-internal-token-known-to-everyone';

/**
 * The shared secret of the shop's own services for the calls no user makes (notify asking user-grpc for a user's
 * address). Both sides read it from their service's Secret; `npm start` draws a random one per start.
 */
export const InternalTokenEnv = z
  .object({
    NODE_ENV: z.string().optional(),
    INTERNAL_TOKEN: secret(z.string().min(32).default(DEV_INTERNAL_TOKEN)),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.INTERNAL_TOKEN === DEV_INTERNAL_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['INTERNAL_TOKEN'],
        message:
          "is the committed DEV ONLY token, refused when NODE_ENV=production; set the deployment's own",
      });
    }
  });
export type InternalTokenEnv = z.infer<typeof InternalTokenEnv>;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether `given` is the internal token, compared in constant time (hashes first, so lengths do not leak). */
export function isInternalToken(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}
