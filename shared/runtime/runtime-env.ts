import { z } from 'zod';

/** Settings every function process reads. Knative sets PORT; the rest have defaults that suit the cluster. */
export const RuntimeEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /**
   * The address to listen on: every interface by default, as Knative's queue-proxy reaches the function over the
   * pod network; the local stack sets 127.0.0.1, so only its gateway and broker face the machine's user.
   */
  LISTEN_HOST: z.string().min(1).default('0.0.0.0'),
  /** Request bodies above this many bytes get a 413 (the gateway limits them too). */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(100 * 1024),
  /** How long in-flight requests may finish after SIGTERM before connections are cut. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  NODE_ENV: z.string().default('development'),
  /**
   * `on`: every HTTP answer is checked against its route's documented contract (shared/runtime/contract-check.ts),
   * so a drift between the API documents and the code fails loudly. The local stack and the tests turn it on; the
   * cluster leaves it off.
   */
  CONTRACT_CHECKS: z.enum(['on', 'off']).default('off'),
});
export type RuntimeEnv = z.infer<typeof RuntimeEnv>;
