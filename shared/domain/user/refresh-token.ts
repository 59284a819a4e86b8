import { createHash, randomBytes } from 'node:crypto';

/** Entropy of a refresh token: 256 bits. */
export const REFRESH_TOKEN_BYTES = 32;

/** How long a refresh token stays usable after it is issued: 30 days. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A new refresh token: `token` goes to the client once, only `hash` is stored. */
export interface NewRefreshToken {
  readonly token: string;
  readonly hash: string;
}

/**
 * The stored form of a refresh token: SHA-256, hex. A fast hash is right here, unlike for passwords: the token is
 * 256 random bits, so no guessing or dictionary attack can invert it, and a fast hash keeps the lookup cheap.
 * Deterministic (no salt), so the store can find a presented token by its hash.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new opaque refresh token (256 bits from the CSPRNG, base64url) and its hash to store. */
export function newRefreshToken(): NewRefreshToken {
  const token = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

/** When a refresh token issued at `now` expires. */
export function refreshTokenExpiresAt(now: Date): Date {
  return new Date(now.getTime() + REFRESH_TOKEN_TTL_MS);
}
