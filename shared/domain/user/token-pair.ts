import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ACCESS_TOKEN_TTL_SECONDS } from './access-token-claims';
import { newRefreshToken, refreshTokenExpiresAt } from './refresh-token';
import type { Role } from './roles';
import type { NewRefreshTokenRecord } from './user-ports';

/** A freshly signed access token and what the caller may want to log or return beside it. */
export interface SignedAccessToken {
  readonly token: string;
  /** The `jti`. */
  readonly tokenId: string;
  readonly expiresAt: Date;
}

/** What login and refresh answer. */
export const TokenPair = z
  .object({
    accessToken: z.string().meta({ description: 'An ES256 JWT, sent as `Authorization: Bearer <token>`.' }),
    refreshToken: z.string().meta({ description: 'Single use: refreshing answers a new one.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().min(1).meta({ description: 'Seconds until the access token expires.' }),
  })
  .meta({ id: 'TokenPair' });
export type TokenPair = z.infer<typeof TokenPair>;

/** Signs access tokens (login and refresh-token hold the private key). */
export type AccessTokenSigner = (user: {
  readonly userId: string;
  readonly role: Role;
  readonly sessionId: string;
}) => SignedAccessToken;

/**
 * A new access token and refresh token for a user, in refresh-token family `familyId`; the caller stores
 * `stored` (the hash only) before answering.
 */
export function newTokenPair(
  sign: AccessTokenSigner,
  user: { readonly id: string; readonly role: Role },
  familyId: string,
  now: Date,
): { pair: TokenPair; stored: NewRefreshTokenRecord } {
  // The family is the session: the access token names it, so ending the family ends the token too.
  const access = sign({ userId: user.id, role: user.role, sessionId: familyId });
  const refresh = newRefreshToken();
  return {
    pair: {
      accessToken: access.token,
      refreshToken: refresh.token,
      tokenType: 'Bearer',
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    },
    stored: {
      id: randomUUID(),
      userId: user.id,
      familyId,
      tokenHash: refresh.hash,
      expiresAt: refreshTokenExpiresAt(now),
    },
  };
}
