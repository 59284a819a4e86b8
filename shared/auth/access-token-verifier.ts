import { JsonWebTokenError, TokenExpiredError, verify } from 'jsonwebtoken';
import { AppError } from '../errors/app-error';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_TTL_SECONDS,
  AccessTokenClaims,
} from '../domain/user/access-token-claims';
import type { Principal } from '../domain/user/roles';
import type { AccessTokenVerifierConfig } from './verifier-config';

/** Clock skew allowed between the signing and the verifying pod, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 5;

// Our tokens are about 400 characters; refusing anything far larger keeps junk from reaching the JSON parser.
const MAX_TOKEN_LENGTH = 4096;

function invalidToken(cause?: unknown): AppError {
  return new AppError('unauthenticated', 'AUTH.INVALID_TOKEN', 'The access token is invalid.', [], { cause });
}

/**
 * Verifies an access token and returns who it speaks for. Only ES256 signatures by JWT_PUBLIC_KEY are accepted
 * (pinning the algorithm defeats `alg: none` and HS256-with-the-public-key confusion), with the configured `iss`
 * and `aud`, within `exp` (5 s tolerance), and with a `sub` and a known `role`.
 *
 * @throws AppError unauthenticated: `AUTH.MISSING_TOKEN` (empty), `AUTH.TOKEN_EXPIRED`, `AUTH.INVALID_TOKEN`.
 */
export function verifyAccessToken(
  token: string | undefined,
  config: AccessTokenVerifierConfig,
  options: { readonly now?: Date } = {},
): Principal {
  if (token === undefined || token === '') {
    throw new AppError('unauthenticated', 'AUTH.MISSING_TOKEN', 'An access token is required.');
  }
  if (token.length > MAX_TOKEN_LENGTH) throw invalidToken();
  let payload: unknown;
  try {
    payload = verify(token, config.JWT_PUBLIC_KEY, {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      // Bounds a token by its `iat` too, so even a signer bug cannot mint a long-lived token.
      maxAge: ACCESS_TOKEN_TTL_SECONDS,
      clockTimestamp: options.now === undefined ? undefined : Math.floor(options.now.getTime() / 1000),
    });
  } catch (error) {
    if (error instanceof TokenExpiredError) {
      throw new AppError('unauthenticated', 'AUTH.TOKEN_EXPIRED', 'The access token has expired.', [], {
        cause: error,
      });
    }
    if (error instanceof JsonWebTokenError) throw invalidToken(error);
    throw error;
  }
  const claims = AccessTokenClaims.safeParse(payload);
  if (!claims.success) throw invalidToken(claims.error);
  return {
    userId: claims.data.sub,
    role: claims.data.role,
    tokenId: claims.data.jti,
    sessionId: claims.data.sid,
    expiresAt: new Date(claims.data.exp * 1000),
  };
}
