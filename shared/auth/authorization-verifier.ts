import type { Principal } from '../domain/user/roles';
import { verifyAccessToken } from './access-token-verifier';
import { bearerToken } from './bearer';
import type { AccessTokenVerifierConfig } from './verifier-config';

/**
 * Checks the `Authorization: Bearer <access token>` header of a request, as every function does (the token alone:
 * session-check.ts adds the session where it matters).
 */
export function authorizationVerifier(
  config: AccessTokenVerifierConfig,
): (authorization: string | undefined) => Principal {
  return (authorization) => verifyAccessToken(bearerToken(authorization), config);
}
