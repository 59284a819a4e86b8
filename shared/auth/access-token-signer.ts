import { randomUUID } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TTL_SECONDS } from '../domain/user/access-token-claims';
import type { Role } from '../domain/user/roles';
import type { SignedAccessToken } from '../domain/user/token-pair';
import type { AccessTokenSignerConfig } from './signer-config';

/**
 * Signs an ES256 access token for a user's session: `iss`, `aud`, `sub`, `role`, `sid` (the session, that is the
 * refresh-token family), `iat`, `exp` (5 minutes later) and a random `jti`. `now` is injectable so tests can issue tokens that are already expired.
 */
export function signAccessToken(
  user: { readonly userId: string; readonly role: Role; readonly sessionId: string },
  config: AccessTokenSignerConfig,
  options: { readonly now?: Date } = {},
): SignedAccessToken {
  if (user.userId === '') throw new Error('signAccessToken: userId is empty');
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tokenId = randomUUID();
  // jsonwebtoken computes `exp` from the payload's `iat`, so a given `now` moves both.
  const token = sign({ role: user.role, sid: user.sessionId, iat: issuedAt }, config.JWT_PRIVATE_KEY, {
    algorithm: ACCESS_TOKEN_ALGORITHM,
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    subject: user.userId,
    jwtid: tokenId,
  });
  return { token, tokenId, expiresAt: new Date((issuedAt + ACCESS_TOKEN_TTL_SECONDS) * 1000) };
}
