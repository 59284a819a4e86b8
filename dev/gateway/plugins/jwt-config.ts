import { z } from 'zod';

/**
 * Kong's jwt config with its defaults. `anonymous` (letting failed requests through as another consumer) is
 * not offered: the dev gateway would let through what it cannot attribute.
 */
export const JwtConfig = z
  .strictObject({
    uri_param_names: z.array(z.string().min(1)).default(['jwt']),
    cookie_names: z.array(z.string().min(1)).default([]),
    header_names: z.array(z.string().min(1)).default(['authorization']),
    key_claim_name: z.string().min(1).default('iss'),
    secret_is_base64: z.boolean().default(false),
    claims_to_verify: z
      .array(z.enum(['exp', 'nbf']))
      .nullable()
      .default(null),
    maximum_expiration: z.number().min(0).max(31536000).default(0),
    run_on_preflight: z.boolean().default(true),
    anonymous: z.null({ error: 'anonymous consumers are not supported by the dev gateway' }).optional(),
  })
  .superRefine((config, ctx) => {
    // Kong's schema: a maximum expiration means nothing unless exp is checked.
    if (config.maximum_expiration > 0 && !config.claims_to_verify?.includes('exp')) {
      ctx.addIssue({
        code: 'custom',
        path: ['claims_to_verify'],
        message: 'must include exp when maximum_expiration is set',
      });
    }
  });
export type JwtConfig = z.infer<typeof JwtConfig>;
