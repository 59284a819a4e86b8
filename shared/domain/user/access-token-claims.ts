import { z } from 'zod';
import { Role } from './roles';

/** The only algorithm tokens are signed with, and the only one the verifier accepts. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

/**
 * Access token lifetime: short, because a service that trusts a token without asking the user service (a
 * customer route of another service) honours it until it expires, after a logout or a password change too.
 */
export const ACCESS_TOKEN_TTL_SECONDS = 5 * 60;

/**
 * The claims the verifier relies on after the signature, `iss`, `aud` and `exp` have been checked. A token our key
 * signed should always match; checking anyway keeps a signer bug from turning into an odd principal.
 */
export const AccessTokenClaims = z.object({
  sub: z.string().min(1).max(128),
  role: Role,
  jti: z.uuid(),
  /** The session (refresh-token family) the token belongs to: ending it ends the token where sessions are checked. */
  sid: z.uuid(),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type AccessTokenClaims = z.infer<typeof AccessTokenClaims>;
