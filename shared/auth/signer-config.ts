import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { secret } from '../config/secret';
import { DEV_JWT_PRIVATE_KEY_PEM } from './dev-keys';
import { devKeyRefused, EcP256PrivateKey } from './ec-key';
import { accessTokenVerifierShape, refuseDevPublicKey } from './verifier-config';

/**
 * Config of the functions that issue access tokens (login, refresh-token): the verifier's fields plus the private
 * key. Kept apart from the verifier config so a verifying function's bundle never reads JWT_PRIVATE_KEY.
 * Fails fast when the private key is not the pair of JWT_PUBLIC_KEY (every token it signed would be refused),
 * and refuses the dev keys when NODE_ENV=production. Compose with `AccessTokenSignerEnv.extend(Other.shape)`.
 */
export const AccessTokenSignerEnv = z
  .object({
    ...accessTokenVerifierShape,
    JWT_PRIVATE_KEY: secret(EcP256PrivateKey.prefault(DEV_JWT_PRIVATE_KEY_PEM)),
  })
  .superRefine(refuseDevPublicKey)
  .superRefine((env, ctx) => {
    if (!createPublicKey(env.JWT_PRIVATE_KEY).equals(env.JWT_PUBLIC_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_PRIVATE_KEY'],
        message: 'is not the private half of JWT_PUBLIC_KEY; tokens it signs would not verify',
      });
    }
    if (
      env.NODE_ENV === 'production' &&
      env.JWT_PRIVATE_KEY.equals(createPrivateKey(DEV_JWT_PRIVATE_KEY_PEM))
    ) {
      ctx.addIssue({ code: 'custom', path: ['JWT_PRIVATE_KEY'], message: devKeyRefused('JWT_PRIVATE_KEY') });
    }
  });
export type AccessTokenSignerEnv = z.infer<typeof AccessTokenSignerEnv>;

/** What `signAccessToken` needs: a loaded AccessTokenSignerEnv fits. */
export type AccessTokenSignerConfig = Pick<
  AccessTokenSignerEnv,
  'JWT_PRIVATE_KEY' | 'JWT_ISSUER' | 'JWT_AUDIENCE'
>;
