import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { DEV_JWT_PUBLIC_KEY_PEM } from './dev-keys';
import { devKeyRefused, EcP256PublicKey } from './ec-key';

/** Default `iss` on a laptop: the key of the Kong consumer that the gateway checks tokens against. */
export const DEFAULT_JWT_ISSUER = 'ecom-issuer';

/** Default `aud` on a laptop: the API the tokens are meant for. */
export const DEFAULT_JWT_AUDIENCE = 'ecom-api';

/** The fields every function that checks access tokens reads; the signer config extends them. */
export const accessTokenVerifierShape = {
  NODE_ENV: z.string().optional(),
  JWT_PUBLIC_KEY: EcP256PublicKey.prefault(DEV_JWT_PUBLIC_KEY_PEM),
  JWT_ISSUER: z.string().min(1).default(DEFAULT_JWT_ISSUER),
  JWT_AUDIENCE: z.string().min(1).default(DEFAULT_JWT_AUDIENCE),
};

/**
 * Refuses the dev public key in production. Compared as key material, so the dev key in any PEM spelling is
 * caught too; the dev PEM is parsed only in production, where this check runs.
 */
export function refuseDevPublicKey(
  env: { NODE_ENV?: string | undefined; JWT_PUBLIC_KEY: z.output<typeof EcP256PublicKey> },
  ctx: z.RefinementCtx,
): void {
  if (env.NODE_ENV !== 'production') return;
  if (env.JWT_PUBLIC_KEY.equals(createPublicKey(DEV_JWT_PUBLIC_KEY_PEM))) {
    ctx.addIssue({ code: 'custom', path: ['JWT_PUBLIC_KEY'], message: devKeyRefused('JWT_PUBLIC_KEY') });
  }
}

/**
 * Config of a function that verifies access tokens: the public key (PEM, parsed and checked to be EC P-256 here),
 * the expected issuer and audience. Defaults to the committed dev key, refused when NODE_ENV=production.
 * Load it with `loadConfig(AccessTokenVerifierEnv)`, or compose with `AccessTokenVerifierEnv.extend(Other.shape)`:
 * spreading `accessTokenVerifierShape` into another object would drop the production check.
 */
export const AccessTokenVerifierEnv = z.object(accessTokenVerifierShape).superRefine(refuseDevPublicKey);
export type AccessTokenVerifierEnv = z.infer<typeof AccessTokenVerifierEnv>;

/** What `verifyAccessToken` needs: a loaded AccessTokenVerifierEnv (or AccessTokenSignerEnv) fits. */
export type AccessTokenVerifierConfig = Pick<
  AccessTokenVerifierEnv,
  'JWT_PUBLIC_KEY' | 'JWT_ISSUER' | 'JWT_AUDIENCE'
>;
