import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { inertFields } from './plugin-declaration';
import { JWT_ALGORITHMS, type JwtAlgorithm } from './plugins/jwt-token';

const algorithms = Object.keys(JWT_ALGORITHMS) as [JwtAlgorithm, ...JwtAlgorithm[]];

/** A jwt credential: HS* verify with `secret`, the others with the PEM public key in `rsa_public_key`. */
export const KongJwtSecret = z
  .strictObject({
    key: z.string().min(1),
    algorithm: z.enum(algorithms).default('HS256'),
    secret: z.string().optional(),
    rsa_public_key: z.string().optional(),
    ...inertFields,
  })
  .superRefine((secret, ctx) => {
    if (secret.algorithm.startsWith('HS')) {
      if (secret.secret === undefined)
        ctx.addIssue({ code: 'custom', path: ['secret'], message: 'is required' });
      return;
    }
    try {
      createPublicKey(secret.rsa_public_key ?? '');
    } catch {
      ctx.addIssue({ code: 'custom', path: ['rsa_public_key'], message: 'is not a PEM public key' });
    }
  });
export type KongJwtSecret = z.infer<typeof KongJwtSecret>;

/** A consumer: who a credential belongs to. Other credential kinds (key-auth, basic-auth, ...) are refused. */
export const KongConsumer = z
  .strictObject({
    username: z.string().min(1).optional(),
    custom_id: z.string().min(1).optional(),
    jwt_secrets: z.array(KongJwtSecret).default([]),
    ...inertFields,
  })
  .refine(
    (consumer) => consumer.username !== undefined || consumer.custom_id !== undefined,
    'needs a username or a custom_id',
  );
export type KongConsumer = z.infer<typeof KongConsumer>;
