import type { AuthorizationVerifier } from '../runtime/principal';
import { verifyAccessToken } from './access-token-verifier';
import { bearerToken } from './bearer';
import type { AccessTokenVerifierConfig } from './verifier-config';

/** Checks the `Authorization: Bearer <access token>` header of a request, as every function does. */
export function authorizationVerifier(config: AccessTokenVerifierConfig): AuthorizationVerifier {
  return (authorization) => verifyAccessToken(bearerToken(authorization), config);
}
